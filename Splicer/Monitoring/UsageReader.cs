using Splicer.Admin;
using Splicer.State;

namespace Splicer.Monitoring;

/// <summary>The engine's side of <see cref="IUsageReport"/>: reads the usage store.</summary>
internal sealed class UsageReader(UsageStore store) : IUsageReport
{
    public async Task<UsageReport> ReadAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        var sessions = await store.SessionsAsync(from, to, limit + 1, cancellationToken);
        var days = await store.TotalsAsync(UsagePeriod.Day, UsageStore.PeriodStart(UsagePeriod.Day, from), to, cancellationToken);
        return new UsageReport(
            from,
            to,
            sessions.Take(limit).Select(row => new UsageRow(
                row.Id, row.StartedAt, row.Duration.TotalSeconds, row.BytesAToB, row.BytesBToA, row.Outcome, row.TokenPrefix,
                row.A.DoorId, row.A.IdentityId, row.A.Source, row.B.DoorId, row.B.IdentityId, row.B.Source)).ToArray(),
            days.Select(total => new UsageDayTotal(total.PeriodStart, total.Kind.ToString().ToLowerInvariant(), total.Subject, total.Sessions, total.Bytes)).ToArray(),
            sessions.Count > limit);
    }
}
