using Splicer.Accept;
using Splicer.Handshake;

namespace Splicer.Rendezvous;

/// <summary>
/// A connection waiting on its token. Exactly one party decides its fate: a partner claims it,
/// a match on its token dismisses it as redundant, or it withdraws itself (left, impatient, timed out).
/// </summary>
internal sealed class PendingConnection(RelayConnection connection, PairingRequest request)
{
    private readonly TaskCompletionSource _decided = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<RelayConnection> _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state = (int)PendingState.Waiting;

    public RelayConnection Connection { get; } = connection;

    public PairingRequest Request { get; } = request;

    public PendingState State => (PendingState)Volatile.Read(ref _state);

    /// <summary>Completes when a partner claims this connection or it is dismissed.</summary>
    public Task Decided => _decided.Task;

    /// <summary>
    /// The waiter's connection, once the waiter has stopped watching the socket and the partner may
    /// use it. The partner keeps only the connection, so this wait state is not held for the whole session.
    /// </summary>
    public Task<RelayConnection> Released => _released.Task;

    public bool TryClaim() => TryMove(PendingState.Claimed, signal: true);

    public bool TryDismiss() => TryMove(PendingState.Dismissed, signal: true);

    public bool TryWithdraw() => TryMove(PendingState.Withdrawn, signal: false);

    public void Release() => _released.TrySetResult(Connection);

    private bool TryMove(PendingState to, bool signal)
    {
        if (Interlocked.CompareExchange(ref _state, (int)to, (int)PendingState.Waiting) != (int)PendingState.Waiting)
        {
            return false;
        }

        if (signal)
        {
            _decided.TrySetResult();
        }

        return true;
    }
}

internal enum PendingState
{
    Waiting,
    Claimed,
    Dismissed,
    Withdrawn,
}
