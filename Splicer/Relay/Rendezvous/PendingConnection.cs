using Splicer.Accept;
using Splicer.Handshake;

namespace Splicer.Rendezvous;

/// <summary>
/// A connection waiting on its token. Exactly one party decides its fate: a partner claims it,
/// a match on its token dismisses it as redundant, or it withdraws itself (left, impatient, timed out).
/// </summary>
internal sealed class PendingConnection(RelayConnection connection, PairingRequest request)
{
    private TaskCompletionSource? _decided;
    private RelayConnection? _partner;
    private Task? _watch;
    private int _state = (int)PendingState.Waiting;

    public RelayConnection Connection { get; } = connection;

    public PairingRequest Request { get; } = request;

    public PendingState State => (PendingState)Volatile.Read(ref _state);

    /// <summary>
    /// Completes when a partner claims this connection or it is dismissed. Made only when asked for
    /// (a waiter behind TLS or WebSocket asks), so a plain waiter carries no task.
    /// </summary>
    public Task Decided
    {
        get
        {
            var decided = Volatile.Read(ref _decided)
                ?? Interlocked.CompareExchange(ref _decided, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null)
                ?? _decided;

            // Decided before anyone asked: the signal found no task to complete.
            if (State is PendingState.Claimed or PendingState.Dismissed)
            {
                decided.TrySetResult();
            }

            return decided.Task;
        }
    }

    /// <summary>
    /// The plain waiter's watch of its socket: it completes once the socket wakes after the waiter
    /// was decided, so the session's first receive on that side is this one, not a second.
    /// </summary>
    public Task? Watch
    {
        get => Volatile.Read(ref _watch);
        set => Volatile.Write(ref _watch, value);
    }

    /// <summary>The connection that claimed this one; set once <see cref="State"/> is <see cref="PendingState.Claimed"/>.</summary>
    public RelayConnection Partner => State == PendingState.Claimed
        ? Volatile.Read(ref _partner)!
        : throw new InvalidOperationException("not claimed");

    /// <summary>
    /// Claims this waiter for <paramref name="partner"/>; the claimer then wakes it (<see cref="WakeClaimed"/>)
    /// outside the pairing table's lock.
    /// </summary>
    public bool TryClaim(RelayConnection partner)
    {
        // Written before the state moves (the exchange is a full fence), so whoever sees Claimed sees the partner.
        Volatile.Write(ref _partner, partner);
        return TryMove(PendingState.Claimed);
    }

    public bool TryDismiss() => TryMove(PendingState.Dismissed);

    public bool TryWithdraw() => TryMove(PendingState.Withdrawn);

    /// <summary>Tells a claimed waiter that waits on <see cref="Decided"/> (a plain one's session is started by its partner).</summary>
    public void WakeClaimed() => Volatile.Read(ref _decided)?.TrySetResult();

    /// <summary>Wakes a dismissed waiter: its task, or its pending receive (which ends with an end of stream).</summary>
    public void WakeDismissed()
    {
        Volatile.Read(ref _decided)?.TrySetResult();
        if (Connection.Transport is null)
        {
            Connection.WakePendingReceive();
        }
    }

    private bool TryMove(PendingState to) =>
        Interlocked.CompareExchange(ref _state, (int)to, (int)PendingState.Waiting) == (int)PendingState.Waiting;
}

internal enum PendingState
{
    Waiting,
    Claimed,
    Dismissed,
    Withdrawn,
}
