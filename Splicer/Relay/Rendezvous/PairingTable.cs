using Microsoft.Extensions.Options;
using Splicer.Accept;
using Splicer.Handshake;
using Splicer.Options;

namespace Splicer.Rendezvous;

/// <summary>
/// The connections waiting for a partner, by token. A waiter's pairing deadline is kept by the
/// <paramref name="deadlines"/> (none in tests of the table alone): it starts as the connection is
/// made to wait and stops, under the table's lock, as a partner claims it, so a waiter is either
/// claimed or expired, never both.
/// </summary>
internal sealed class PairingTable(IOptions<SplicerOptions> options, DeadlineSweeper? deadlines = null)
{
    private readonly int _maxWaitingPerToken = options.Value.MaxWaitingPerToken;
    private readonly Dictionary<string, List<PendingConnection>> _waiting = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private int _waitingConnections;

    /// <summary>Distinct tokens with at least one connection waiting.</summary>
    public int WaitingTokens
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count;
            }
        }
    }

    public int WaitingConnections => Volatile.Read(ref _waitingConnections);

    /// <summary>
    /// Pairs the connection with the compatible waiter that has waited longest (by accept time, not by when
    /// its handshake happened to finish), or makes it wait. On a match every
    /// other waiter on the token is dismissed, so a token pairs once. Waiters are woken after the
    /// lock is let go, so nothing they run holds it.
    /// </summary>
    public PairingAttempt Enter(RelayConnection connection, PairingRequest request)
    {
        var attempt = EnterLocked(connection, request, out var dismissed);
        if (attempt.Result == PairingResult.Matched)
        {
            attempt.Pending!.WakeClaimed();
            dismissed?.ForEach(static other => other.WakeDismissed());
        }

        return attempt;
    }

    private PairingAttempt EnterLocked(RelayConnection connection, PairingRequest request, out List<PendingConnection>? dismissed)
    {
        dismissed = null;
        lock (_lock)
        {
            if (!_waiting.TryGetValue(request.Token, out var waiters))
            {
                waiters = new List<PendingConnection>(2);
                _waiting.Add(request.Token, waiters);
            }

            foreach (var waiter in waiters)
            {
                if (waiter.Request.CanPairWith(request) && StopDeadline(waiter) && waiter.TryClaim(connection))
                {
                    dismissed = DismissOthers(waiters, waiter);
                    _waitingConnections -= waiters.Count;
                    _waiting.Remove(request.Token);
                    return PairingAttempt.Matched(waiter);
                }
            }

            if (waiters.Count >= _maxWaitingPerToken)
            {
                return PairingAttempt.Refused;
            }

            var pending = new PendingConnection(connection, request);
            waiters.Insert(PlaceByAcceptTime(waiters, connection), pending);
            _waitingConnections++;
            deadlines?.WatchPairing(connection);
            return PairingAttempt.Waiting(pending);
        }
    }

    /// <summary>
    /// Where a new waiter goes so the list stays ordered by accept time: a client that connected first but
    /// whose handshake finished later (a slow link, a TLS or WebSocket upgrade) still waits in front.
    /// </summary>
    private static int PlaceByAcceptTime(List<PendingConnection> waiters, RelayConnection connection)
    {
        var place = waiters.Count;
        while (place > 0 && waiters[place - 1].Connection.AcceptedAt > connection.AcceptedAt)
        {
            place--;
        }

        return place;
    }

    /// <summary>Takes a waiter that withdrew itself out of the table.</summary>
    public void Leave(PendingConnection pending)
    {
        lock (_lock)
        {
            if (_waiting.TryGetValue(pending.Request.Token, out var waiters) && waiters.Remove(pending))
            {
                _waitingConnections--;
                if (waiters.Count == 0)
                {
                    _waiting.Remove(pending.Request.Token);
                }
            }
        }
    }

    /// <summary>False when the waiter's deadline already ended it: it withdraws itself, and is not claimed.</summary>
    private bool StopDeadline(PendingConnection waiter) =>
        deadlines is null || deadlines.TryRelease(waiter.Connection) || waiter.Connection.ExpiredBy == Expiry.None;

    private static List<PendingConnection>? DismissOthers(List<PendingConnection> waiters, PendingConnection matched)
    {
        List<PendingConnection>? dismissed = null;
        foreach (var other in waiters)
        {
            // A waiter that is withdrawing at this moment keeps its own reason.
            if (!ReferenceEquals(other, matched) && other.TryDismiss())
            {
                (dismissed ??= []).Add(other);
            }
        }

        return dismissed;
    }
}

internal readonly record struct PairingAttempt(PairingResult Result, PendingConnection? Pending)
{
    public static PairingAttempt Refused => new(PairingResult.Refused, null);

    public static PairingAttempt Matched(PendingConnection partner) => new(PairingResult.Matched, partner);

    public static PairingAttempt Waiting(PendingConnection self) => new(PairingResult.Waiting, self);
}

internal enum PairingResult
{
    Matched,
    Waiting,
    Refused,
}
