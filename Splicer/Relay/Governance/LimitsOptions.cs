namespace Splicer.Governance;

/// <summary>
/// Bandwidth caps, bound from <c>Splicer:Limits</c>. Every cap slows the sender through TCP (the relay
/// reads no faster than the cap) and never drops a byte; an unset cap costs nothing.
/// </summary>
public sealed class LimitsOptions
{
    public const string SectionName = "Splicer:Limits";

    /// <summary>The most bytes a second all sessions together may move (an uplink shared with a household); null: no cap.</summary>
    public long? TotalBytesPerSecond { get; set; }

    /// <summary>
    /// The most bytes a second one session may move in each direction (or in both together, see
    /// <see cref="SessionCapCountsBothDirections"/>); null: no cap.
    /// </summary>
    public long? SessionBytesPerSecond { get; set; }

    /// <summary>When true, <see cref="SessionBytesPerSecond"/> is shared by the session's two directions.</summary>
    public bool SessionCapCountsBothDirections { get; set; }

    /// <summary>
    /// The most bytes a second the anonymous sessions (no identity: <c>Open</c> mode, address doors) of one
    /// source may move, both directions and every session of that source together; a source is an IPv4
    /// address or an IPv6 prefix of <c>Splicer:IPv6SourcePrefix</c> bits. Null: no cap.
    /// </summary>
    public long? AnonymousBytesPerSecondPerSource { get; set; }
}
