using Splicer.Accounting;

namespace Splicer.Tests.Infrastructure;

/// <summary>Keeps every ended session in memory so a test can wait for the one it expects.</summary>
internal sealed class MemoryRecorder : ISessionRecorder
{
    private readonly Lock _lock = new();
    private readonly List<SessionRecord> _records = [];
    private readonly List<(Func<SessionRecord, bool> Match, TaskCompletionSource<SessionRecord> Done)> _waiters = [];

    public IReadOnlyList<SessionRecord> Records
    {
        get
        {
            lock (_lock)
            {
                return _records.ToArray();
            }
        }
    }

    public void Record(SessionRecord record)
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

    public Task<SessionRecord> WaitForAsync(Func<SessionRecord, bool> match)
    {
        lock (_lock)
        {
            var seen = _records.FirstOrDefault(match);
            if (seen is not null)
            {
                return Task.FromResult(seen);
            }

            var done = new TaskCompletionSource<SessionRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
            return done.Task.WaitAsync(Patience.Long);
        }
    }

    public Task<SessionRecord> WaitForAsync(Outcome outcome) => WaitForAsync(record => record.Outcome == outcome);

    /// <summary>Waits until <paramref name="count"/> records match.</summary>
    public async Task<IReadOnlyList<SessionRecord>> WaitForCountAsync(Func<SessionRecord, bool> match, int count)
    {
        var matched = new List<SessionRecord>();
        var seen = new HashSet<SessionRecord>(ReferenceEqualityComparer.Instance);
        while (matched.Count < count)
        {
            var next = await WaitForAsync(record => match(record) && !seen.Contains(record));
            seen.Add(next);
            matched.Add(next);
        }

        return matched;
    }
}
