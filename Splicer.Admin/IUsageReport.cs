using Splicer.Admin.Hosting;

namespace Splicer.Admin;

/// <summary>What the admin may read of the usage kept on disk; the engine implements it over its usage store.</summary>
public interface IUsageReport
{
    /// <summary>Ended sessions that started in [from, to), oldest first, at most <paramref name="limit"/>; and the daily totals of those days.</summary>
    Task<UsageReport> ReadAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// What the usage page shows: every identity's bytes today and this month (running sessions included)
    /// against its quota, the box's daily totals of the last <paramref name="days"/> days (today the last),
    /// and the identities that moved the most this month.
    /// </summary>
    Task<IdentityUsageReport> ReadIdentitiesAsync(int days, CancellationToken cancellationToken);
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


/// <param name="At">When it was read; days and months are UTC.</param>
/// <param name="Days">One entry a day, oldest first, days without traffic included (zero).</param>
/// <param name="ThisMonth">The box's total of this month (its <c>Day</c> is the month's first).</param>
/// <param name="TopTalkers">At most ten identities by bytes this month, the most first; deleted identities too (without a name).</param>
public sealed record IdentityUsageReport(
    DateTimeOffset At,
    IReadOnlyList<IdentityUsage> Identities,
    IReadOnlyList<UsageDay> Days,
    UsageDay ThisMonth,
    IReadOnlyList<UsageTalker> TopTalkers);

/// <summary>One identity's use. Bytes are both directions, a session with the identity on both sides counted once.</summary>
/// <param name="QuotaShare">The larger of today's and this month's share of its byte quota (1 = spent, may pass 1 under throttle); null without a byte quota.</param>
/// <param name="SessionsNow">Its sessions running now.</param>
public sealed record IdentityUsage(
    long Id,
    string Name,
    bool Disabled,
    long BytesToday,
    long BytesThisMonth,
    UsageQuota Quota,
    double? QuotaShare,
    int SessionsNow);

/// <summary>A quota as the usage page shows it; null: unlimited.</summary>
public sealed record UsageQuota(long? BytesPerDay, long? BytesPerMonth, int? Sessions, long? BytesPerSecond);

/// <summary>The box's total of one day or month (UTC): sessions counted in it (each once, in the period it was first written), and bytes moved in it.</summary>
public sealed record UsageDay(DateTimeOffset Day, long Sessions, long Bytes);

/// <summary>An identity among the top talkers; <c>Name</c> is null once the identity was deleted.</summary>
public sealed record UsageTalker(long Id, string? Name, long BytesThisMonth);
