using Splicer.Admin;
using Splicer.Admin.Hosting;
using Splicer.Governance;
using Splicer.Governance.Entry;
using Splicer.Splice;
using Splicer.State;

namespace Splicer.Administration;

/// <summary>
/// The engine's side of <see cref="IUsageReport"/>: reads the usage store, and for the usage page adds
/// what running sessions moved since their last checkpoint, as a quota counts it.
/// </summary>
internal sealed class UsageReader(UsageStore store, IdentityStore identities, SessionRegistry sessions, TimeProvider clock) : IUsageReport
{
    public const int TopTalkers = 10;

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

    public async Task<IdentityUsageReport> ReadIdentitiesAsync(int days, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var today = UsageStore.PeriodStart(UsagePeriod.Day, now);
        var month = UsageStore.PeriodStart(UsagePeriod.Month, now);
        var people = await identities.ListAsync(cancellationToken);

        // Totals on disk first, running sessions after: a checkpoint written in between is missed for a
        // moment rather than counted twice.
        var bytesToday = Bytes(await store.TotalsAsync(UsageSubjectKind.Identity, UsagePeriod.Day, today, today.AddDays(1), cancellationToken));
        var bytesThisMonth = Bytes(await store.TotalsAsync(UsageSubjectKind.Identity, UsagePeriod.Month, month, month.AddMonths(1), cancellationToken));
        var boxDays = await store.TotalsAsync(UsageSubjectKind.Box, UsagePeriod.Day, today.AddDays(1 - days), today.AddDays(1), cancellationToken);
        var boxMonth = (await store.TotalsAsync(UsageSubjectKind.Box, UsagePeriod.Month, month, month.AddMonths(1), cancellationToken)).SingleOrDefault();
        var (running, movedToday) = Running();

        var usage = people.Select(identity =>
        {
            var live = running.GetValueOrDefault(identity.Id);
            var (day, thisMonth) = (bytesToday.GetValueOrDefault(identity.Id) + live.Moved, bytesThisMonth.GetValueOrDefault(identity.Id) + live.Moved);
            return new IdentityUsage(identity.Id, identity.Name, identity.IsDisabled, day, thisMonth,
                View(identity.Quota), Share(identity.Quota, day, thisMonth), live.Sessions);
        }).ToArray();

        var names = people.ToDictionary(identity => identity.Id, identity => identity.Name);
        var talkers = bytesThisMonth.Keys.Union(running.Keys)
            .Select(id => new UsageTalker(id, names.GetValueOrDefault(id), bytesThisMonth.GetValueOrDefault(id) + running.GetValueOrDefault(id).Moved))
            .Where(talker => talker.BytesThisMonth > 0)
            .OrderByDescending(talker => talker.BytesThisMonth).ThenBy(talker => talker.Id)
            .Take(TopTalkers)
            .ToArray();

        var thisMonth = new UsageDay(month, boxMonth?.Sessions ?? 0, (boxMonth?.Bytes ?? 0) + movedToday);
        return new IdentityUsageReport(now, usage, Daily(boxDays, today, days, movedToday), thisMonth, talkers);
    }

    /// <summary>One entry a day from the oldest to today, zero where nothing was kept; today's with what running sessions moved since their checkpoint.</summary>
    private static UsageDay[] Daily(List<UsageTotal> totals, DateTimeOffset today, int days, long movedToday)
    {
        var byDay = totals.ToDictionary(total => total.PeriodStart);
        return Enumerable.Range(1 - days, days).Select(offset =>
        {
            var day = today.AddDays(offset);
            var total = byDay.GetValueOrDefault(day);
            return new UsageDay(day, total?.Sessions ?? 0, (total?.Bytes ?? 0) + (offset == 0 ? movedToday : 0));
        }).ToArray();
    }

    /// <summary>Per identity: its running sessions and what they moved since their last checkpoint; and what all of them moved (each session once).</summary>
    private (Dictionary<long, RunningUse> ByIdentity, long Moved) Running()
    {
        var byIdentity = new Dictionary<long, RunningUse>();
        var all = 0L;
        foreach (var session in sessions.Sessions)
        {
            var moved = Math.Max(0, session.Bytes - session.BytesCheckpointed);
            all += moved;
            foreach (var identity in session.Grants.Select(grant => grant.IdentityId).OfType<long>().Distinct())
            {
                var use = byIdentity.GetValueOrDefault(identity);
                byIdentity[identity] = new RunningUse(use.Sessions + 1, use.Moved + moved);
            }
        }

        return (byIdentity, all);
    }

    private static Dictionary<long, long> Bytes(List<UsageTotal> totals) => totals.ToDictionary(total => total.Subject, total => total.Bytes);

    private static UsageQuota View(Quota quota) => new(quota.BytesPerDay, quota.BytesPerMonth, quota.Sessions, quota.BytesPerSecond);

    private static double? Share(Quota quota, long today, long thisMonth)
    {
        double? day = quota.BytesPerDay is { } perDay ? Fraction(today, perDay) : null;
        double? month = quota.BytesPerMonth is { } perMonth ? Fraction(thisMonth, perMonth) : null;
        return day is null ? month : month is null ? day : Math.Max(day.Value, month.Value);
    }

    private static double Fraction(long used, long limit) => limit == 0 ? 1 : (double)used / limit;

    private readonly record struct RunningUse(int Sessions, long Moved);
}
