using System.Collections.Concurrent;
using Splicer.Accept;
using Splicer.Endings;

namespace Splicer.Splice;

/// <summary>The sessions being spliced now: for the admin view, the idle reaper and the drain at stop.</summary>
internal sealed class SessionRegistry : ISessionDrain
{
    private readonly ConcurrentDictionary<long, SpliceSession> _sessions = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _draining;
    private int _retiring;
    private long _started;

    public int Count => _sessions.Count;

    public bool IsDraining => Volatile.Read(ref _draining) == 1;

    /// <summary>Sessions paired since start.</summary>
    public long Started => Interlocked.Read(ref _started);

    public IEnumerable<SpliceSession> Sessions => _sessions.Values;

    public void Add(SpliceSession session)
    {
        _sessions[session.Id] = session;
        Interlocked.Increment(ref _started);
    }

    /// <summary>
    /// Takes an ended session out (no more checkpoints, gone from the admin view), then runs
    /// <paramref name="settle"/> (its closes and its record) before a drain may count it gone: a stop
    /// must not shut the usage writer while a killed session's final row is still on its way.
    /// </summary>
    public void Retire(SpliceSession session, Action settle)
    {
        Interlocked.Increment(ref _retiring);
        _sessions.TryRemove(session.Id, out _);
        try
        {
            settle();
        }
        finally
        {
            Interlocked.Decrement(ref _retiring);
            if (IsDraining && IsSettled)
            {
                _drained.TrySetResult();
            }
        }
    }

    private bool IsSettled => _sessions.IsEmpty && Volatile.Read(ref _retiring) == 0;

    public bool TryEnd(long id, Ending ending) =>
        _sessions.TryGetValue(id, out var session) && session.End(ending);

    /// <summary>Lets running sessions finish for up to <paramref name="timeout"/>, then ends the rest.</summary>
    public async Task DrainAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        // A full fence: the emptiness check below must not be read before the flag is seen by Remove.
        Interlocked.Exchange(ref _draining, 1);
        if (IsSettled)
        {
            return;
        }

        if (await WaitDrainedAsync(timeout, cancellationToken))
        {
            return;
        }

        var ranOut = Ends.DrainRanOut(timeout);
        foreach (var session in _sessions.Values)
        {
            session.End(ranOut);
        }

        await WaitDrainedAsync(Timeout.InfiniteTimeSpan, cancellationToken);
    }

    private async Task<bool> WaitDrainedAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (IsSettled)
        {
            return true;
        }

        try
        {
            await _drained.Task.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
