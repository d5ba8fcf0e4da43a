using Microsoft.Extensions.Options;
using Splicer.Accept;
using Splicer.Handshake;
using Splicer.Options;

namespace Splicer.Rendezvous;

/// <summary>The connections waiting for a partner, by token.</summary>
internal sealed class PairingTable(IOptions<SplicerOptions> options)
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
    /// Pairs the connection with the oldest compatible waiter, or makes it wait. On a match every
    /// other waiter on the token is dismissed, so a token pairs once.
    /// </summary>
    public PairingAttempt Enter(RelayConnection connection, PairingRequest request)
    {
        lock (_lock)
        {
            if (!_waiting.TryGetValue(request.Token, out var waiters))
            {
                waiters = new List<PendingConnection>(2);
                _waiting.Add(request.Token, waiters);
            }

            foreach (var waiter in waiters)
            {
                if (waiter.Request.CanPairWith(request) && waiter.TryClaim(connection))
                {
                    DismissOthers(waiters, waiter);
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
            waiters.Add(pending);
            _waitingConnections++;
            return PairingAttempt.Waiting(pending);
        }
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

    private static void DismissOthers(List<PendingConnection> waiters, PendingConnection matched)
    {
        foreach (var other in waiters)
        {
            if (!ReferenceEquals(other, matched))
            {
                // A waiter that is withdrawing at this moment keeps its own reason.
                other.TryDismiss();
            }
        }
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
