using Splicer.Accounting;
using Splicer.Endings;

namespace Splicer.Tests.Infrastructure;

/// <summary>Keeps every ended session in memory so a test can wait for the one it expects.</summary>
internal sealed class MemoryRecorder : ISessionRecorder
{
    private readonly Lock _lock = new();
    private readonly List<EndedRecord> _records = [];
    private readonly List<(Func<EndedRecord, bool> Match, TaskCompletionSource<EndedRecord> Done)> _waiters = [];

    public IReadOnlyList<EndedRecord> Records
    {
        get
        {
            lock (_lock)
            {
                return _records.ToArray();
            }
        }
    }

    public void Record(EndedRecord record)
    {
        lock (_lock)
        {
            _records.Add(record);
            foreach (var waiter in _waiters.Where(w => w.Match(record)).ToArray())
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult(record);
            }
        }
    }

    public Task<EndedRecord> WaitForAsync(Func<EndedRecord, bool> match)
    {
        lock (_lock)
        {
            var seen = _records.FirstOrDefault(match);
            if (seen is not null)
            {
                return Task.FromResult(seen);
            }

            var done = new TaskCompletionSource<EndedRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
            return done.Task.WaitAsync(Patience.Long);
        }
    }

    public Task<EndedRecord> WaitForAsync(Outcome outcome) => WaitForAsync(record => record.Outcome == outcome);

    /// <summary>Waits for a paired session that ended with <paramref name="outcome"/>.</summary>
    public async Task<SessionRecord> WaitForSessionAsync(Outcome outcome) =>
        (SessionRecord)await WaitForAsync(record => record is SessionRecord && record.Outcome == outcome);

    /// <summary>Waits until <paramref name="count"/> paired sessions ended with <paramref name="outcome"/>.</summary>
    public async Task<IReadOnlyList<SessionRecord>> WaitForSessionsAsync(Outcome outcome, int count) =>
        (await WaitForCountAsync(record => record is SessionRecord && record.Outcome == outcome, count)).Cast<SessionRecord>().ToArray();

    /// <summary>Waits until <paramref name="count"/> records match.</summary>
    public async Task<IReadOnlyList<EndedRecord>> WaitForCountAsync(Func<EndedRecord, bool> match, int count)
    {
        var matched = new List<EndedRecord>();
        var seen = new HashSet<EndedRecord>(ReferenceEqualityComparer.Instance);
        while (matched.Count < count)
        {
            var next = await WaitForAsync(record => match(record) && !seen.Contains(record));
            seen.Add(next);
            matched.Add(next);
        }

        return matched;
    }
}
