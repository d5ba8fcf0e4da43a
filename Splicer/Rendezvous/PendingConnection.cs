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
    private RelayConnection? _partner;
    private int _state = (int)PendingState.Waiting;

    public RelayConnection Connection { get; } = connection;

    public PairingRequest Request { get; } = request;

    public PendingState State => (PendingState)Volatile.Read(ref _state);

    /// <summary>Completes when a partner claims this connection or it is dismissed.</summary>
    public Task Decided => _decided.Task;

    /// <summary>The connection that claimed this one; set once <see cref="State"/> is <see cref="PendingState.Claimed"/>.</summary>
    public RelayConnection Partner => State == PendingState.Claimed
        ? Volatile.Read(ref _partner)!
        : throw new InvalidOperationException("not claimed");

    /// <summary>
    /// Claims this waiter for <paramref name="partner"/>. The waiter starts the session once it has
    /// stopped watching its socket, so the partner's own stages are done when this returns true.
    /// </summary>
    public bool TryClaim(RelayConnection partner)
    {
        // Written before the state moves (the exchange is a full fence), so whoever sees Claimed sees the partner.
        Volatile.Write(ref _partner, partner);
        return TryMove(PendingState.Claimed, signal: true);
    }

    public bool TryDismiss() => TryMove(PendingState.Dismissed, signal: true);

    public bool TryWithdraw() => TryMove(PendingState.Withdrawn, signal: false);

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
