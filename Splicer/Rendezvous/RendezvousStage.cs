using Microsoft.Extensions.Options;
using Splicer.Accept;
using Splicer.Accounting;
using Splicer.Handshake;
using Splicer.Hosting;
using Splicer.Splice;

namespace Splicer.Rendezvous;

/// <summary>Finds the connection's partner, or waits for one within the pairing timeout, then hands the pair on.</summary>
internal sealed class RendezvousStage(
    PairingTable table,
    SessionRunner sessions,
    ConnectionCloser closer,
    StageCounters counters,
    IOptions<SplicerOptions> options)
{
    private readonly TimeSpan _pairingTimeout = options.Value.PairingTimeout;
    private readonly int _maxWaitingPerToken = options.Value.MaxWaitingPerToken;

    public Task JoinAsync(RelayConnection connection, PairingRequest request, CancellationToken stopping)
    {
        var attempt = table.Enter(connection, request);
        switch (attempt.Result)
        {
            case PairingResult.Matched:
                // The waiter starts the session once it lets go of its socket; this connection's stages are done.
                return Task.CompletedTask;
            case PairingResult.Waiting:
                return WaitForPartnerAsync(attempt.Pending!, stopping);
            default:
                counters.Count(HandshakeVerdict.Refused);
                closer.Close(connection, Outcome.Refused,
                    $"{_maxWaitingPerToken} connections already wait on this token (Splicer:MaxWaitingPerToken)");
                return Task.CompletedTask;
        }
    }

    private async Task WaitForPartnerAsync(PendingConnection pending, CancellationToken stopping)
    {
        var connection = pending.Connection;
        using var watchCancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        watchCancellation.CancelAfter(_pairingTimeout);
        var watch = SocketActivity.WaitAsync(connection.Socket, watchCancellation.Token);
        await Task.WhenAny(pending.Decided, watch);

        if (pending.TryWithdraw())
        {
            table.Leave(pending);
            await EndUnpairedAsync(connection, await watch, stopping);
            return;
        }

        // A partner or a rival decided first: stop watching so the socket is free for the session.
        watchCancellation.Cancel();
        await watch;
        if (pending.State == PendingState.Claimed)
        {
            // Only the two connections are kept for the session's life: neither the request (with the
            // whole token) nor this wait state, nor any stage's frame.
            sessions.Start(connection, pending.Partner);
        }
        else
        {
            closer.Close(connection, Outcome.Redundant, "another connection on this token was paired");
        }
    }

    private Task EndUnpairedAsync(RelayConnection connection, Activity activity, CancellationToken stopping)
    {
        switch (activity)
        {
            case Activity.Data:
                counters.Count(HandshakeVerdict.Impatient);
                return closer.CloseWithReplyAsync(connection, HandshakeGrammar.Impatient, Outcome.Errory, "sent data before ok");
            case Activity.Closed:
                closer.Close(connection, Outcome.Lonely, "left before a partner came");
                break;
            case Activity.Failed:
                closer.Close(connection, Outcome.Lonely, "connection lost while waiting");
                break;
            default:
                var detail = stopping.IsCancellationRequested
                    ? "relay stopping"
                    : $"no partner within {_pairingTimeout:c} (Splicer:PairingTimeout)";
                closer.Close(connection, Outcome.Lonely, detail);
                break;
        }

        return Task.CompletedTask;
    }
}
