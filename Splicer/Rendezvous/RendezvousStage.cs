using Microsoft.Extensions.Options;
using Splicer.Accept;
using Splicer.Endings;
using Splicer.Handshake;
using Splicer.Options;

namespace Splicer.Rendezvous;

/// <summary>Finds the connection's partner, or waits for one within the pairing timeout, then hands the pair on.</summary>
internal sealed class RendezvousStage(PairingTable table, ISessionStarter sessions, IOptions<SplicerOptions> options) : IPairingStage
{
    private readonly TimeSpan _pairingTimeout = options.Value.PairingTimeout;
    private readonly Ending _tokenBusy = Ends.RefusedAfterHandshake(Refusal.TokenBusy,
        $"{options.Value.MaxWaitingPerToken} connections already wait on this token (Splicer:MaxWaitingPerToken)");

    public Task JoinAsync(RelayConnection connection, PairingRequest request, CancellationToken stopping)
    {
        var attempt = table.Enter(connection, request);
        return attempt.Result switch
        {
            // The waiter starts the session once it lets go of its socket; this connection's stages are done.
            PairingResult.Matched => Task.CompletedTask,
            PairingResult.Waiting => WaitForPartnerAsync(attempt.Pending!, stopping),
            _ => connection.EndAsync(_tokenBusy).AsTask(),
        };
    }

    private async Task WaitForPartnerAsync(PendingConnection pending, CancellationToken stopping)
    {
        var connection = pending.Connection;
        using var watchCancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        watchCancellation.CancelAfter(_pairingTimeout);
        var watch = connection.Transport is { } transport
            ? TransportActivity.WaitAsync(transport, watchCancellation.Token)
            : SocketActivity.WaitAsync(connection.Socket, watchCancellation.Token);
        await Task.WhenAny(pending.Decided, watch);

        if (pending.TryWithdraw())
        {
            table.Leave(pending);
            await connection.EndAsync(Unpaired(await watch, stopping));
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
            await connection.EndAsync(Ends.Redundant);
        }
    }

    private Ending Unpaired(Activity activity, CancellationToken stopping) => activity switch
    {
        Activity.Data => Ends.Impatient,
        Activity.Closed => Ends.LeftWhileWaiting,
        Activity.Failed => Ends.LostWhileWaiting,
        _ when stopping.IsCancellationRequested => Ends.StoppingWhileWaiting,
        _ => Ends.NoPartner(_pairingTimeout),
    };
}
