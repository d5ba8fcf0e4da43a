namespace Splicer.Accounting;

/// <summary>Usage kept on disk, bound from <c>Splicer:Usage</c>.</summary>
public sealed class UsageOptions
{
    public const string SectionName = "Splicer:Usage";

    /// <summary>Keep a row per ended session and running totals in the state database; off, nothing is written.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often running sessions' counts are written, so a kill loses at most this much of them.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Days a session's row is kept; the daily and monthly totals are kept for good.</summary>
    public int RetentionDays { get; set; } = 90;

    /// <summary>
    /// When set, session rows keep less: start times rounded down and durations up to this, byte
    /// counts rounded up (10 kB, 1 MB or 100 MB steps), no token prefix and no address. Totals stay exact.
    /// </summary>
    public TimeSpan? Blur { get; set; }
}
