using Splicer.Accept;
using Splicer.Splice.Pacing;

namespace Splicer.Splice;

/// <summary>
/// One direction of a session and its counters. Exactly one copy loop writes them, so plain
/// volatile writes suffice and the hot path takes no lock and no interlocked operation.
/// </summary>
internal sealed class SpliceDirection(RelayConnection from, RelayConnection to, SpliceSession session)
{
    private long _bytes;
    private long _largestBuffered;

    public RelayConnection From { get; } = from;

    public RelayConnection To { get; } = to;

    public SpliceSession Session { get; } = session;

    /// <summary>What caps this direction's rate, set before the copy starts; null (no cap) leaves the copy unpaced.</summary>
    public Pacer? Pacer { get; set; }

    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>For the waiter's direction: the receive its wait left pending, which the copy's first wait is (see <see cref="SpliceSession.WaiterReadiness"/>); taken once.</summary>
    public Task? TakeHandedOverReadiness() => ReferenceEquals(From, Session.A) ? Session.TakeWaiterReadiness() : null;

    /// <summary>The most bytes the relay held in user space for this direction at any one time.</summary>
    public long LargestBuffered => Volatile.Read(ref _largestBuffered);

    public void Buffered(long count)
    {
        if (count > _largestBuffered)
        {
            Volatile.Write(ref _largestBuffered, count);
        }
    }

    public void Relayed(long count)
    {
        Volatile.Write(ref _bytes, _bytes + count);
        Session.Touch();
    }
}
