namespace Splicer.Admin;

/// <summary>What the admin may read of the usage kept on disk; the engine implements it over its usage store.</summary>
public interface IUsageReport
{
    /// <summary>Ended sessions that started in [from, to), oldest first, at most <paramref name="limit"/>; and the daily totals of those days.</summary>
    Task<UsageReport> ReadAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken);
}

/// <param name="Truncated">More sessions started in the range than <c>limit</c>; ask again from the last one's start.</param>
public sealed record UsageReport(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<UsageRow> Sessions, IReadOnlyList<UsageDayTotal> Totals, bool Truncated);

/// <summary>
/// One ended session. A is the side that arrived first. Door and identity are null for an anonymous
/// side, which has its address instead (unless usage is blurred). Outcome <c>interrupted</c>: the relay
/// was killed under it, and its bytes are those of its last checkpoint.
/// </summary>
public sealed record UsageRow(
    long Id,
    DateTimeOffset StartedAt,
    double DurationSeconds,
    long BytesAToB,
    long BytesBToA,
    string Outcome,
    string? TokenPrefix,
    long? DoorA,
    long? IdentityA,
    string? SourceA,
    long? DoorB,
    long? IdentityB,
    string? SourceB);

/// <summary>One day's (UTC) total for the box (subject 0), an identity or a door.</summary>
public sealed record UsageDayTotal(DateTimeOffset Day, string Kind, long Subject, long Sessions, long Bytes);
