using Splicer.Governance;
using Splicer.Governance.Entry;
using Splicer.Splice;
using Splicer.State;

namespace Splicer.Accounting;

/// <summary>
/// What a subject of a quota has used: its day's and month's totals on disk (read once per usage batch
/// and remembered) plus what its running sessions moved since their last checkpoint and what its ended
/// sessions add whose rows are not written yet, and how many of its sessions run. Without usage recording (<c>Splicer:Usage:Enabled=false</c>) only running sessions count.
/// Walks the running sessions on each call: called only for subjects that have a quota.
/// </summary>
internal sealed class QuotaMeter(SessionRegistry sessions, UsageStore store, UsageRecorder? recorder, TimeProvider clock) : IQuotaMeter
{
    /// <summary>More remembered subjects than this and the memory starts afresh (a bound, not a working set).</summary>
    private const int MaxRemembered = 10_000;

    private readonly Dictionary<QuotaSubject, StoredUse> _stored = [];
    private readonly Lock _lock = new();

    public async ValueTask<QuotaUse> UseAsync(QuotaSubject subject, CancellationToken cancellationToken)
    {
        // The in-memory part first, the totals on disk after: the writer moves its batch count before it
        // takes bytes out of the in-memory part, so a race can count some bytes twice, never miss them.
        var (running, moved) = InMemory(subject);
        var (day, month) = await StoredAsync(subject, cancellationToken);
        return new QuotaUse(day + moved, month + moved, running);
    }

    private (int Running, long Moved) InMemory(QuotaSubject subject)
    {
        var (running, moved) = (0, 0L);
        foreach (var session in sessions.Sessions)
        {
            if (session.Serves(subject))
            {
                running++;
                moved += Math.Max(0, session.Bytes - session.BytesCheckpointed);
            }
        }

        foreach (var ended in recorder?.EndedNotWritten ?? [])
        {
            if (ended.Serves(subject))
            {
                moved += ended.Bytes;
            }
        }

        return (running, moved);
    }

    private async ValueTask<(long Day, long Month)> StoredAsync(QuotaSubject subject, CancellationToken cancellationToken)
    {
        if (recorder is null)
        {
            return (0, 0);
        }

        // The batch count is read before the totals, so a batch written meanwhile makes the next call read again.
        var batch = recorder.Batches;
        var today = UsageStore.PeriodStart(UsagePeriod.Day, clock.GetUtcNow());
        lock (_lock)
        {
            if (_stored.TryGetValue(subject, out var known) && known.Batch == batch && known.Today == today)
            {
                return (known.Day, known.Month);
            }
        }

        var kind = subject.Kind == QuotaSubjectKind.Identity ? UsageSubjectKind.Identity : UsageSubjectKind.Door;
        var (day, month) = await store.DayAndMonthAsync(kind, subject.Id, today, cancellationToken);
        lock (_lock)
        {
            if (_stored.Count >= MaxRemembered)
            {
                _stored.Clear();
            }

            _stored[subject] = new StoredUse(batch, today, day, month);
        }

        return (day, month);
    }

    private readonly record struct StoredUse(long Batch, DateTimeOffset Today, long Day, long Month);
}
