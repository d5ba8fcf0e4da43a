using Microsoft.Extensions.Options;
using Splicer.Accept;
using Splicer.Endings;
using Splicer.Handshake;
using Splicer.Options;

namespace Splicer.Rendezvous;

/// <summary>
/// Finds the connection's partner, or waits for one within the pairing timeout (kept by the
/// <see cref="DeadlineSweeper"/>), then hands the pair on. A plain TCP waiter's session is started by
/// the partner that claims it, at once, and takes over the waiter's pending receive as its first
/// readiness: nothing is cancelled and nothing is thrown on the way to a session.
/// </summary>
internal sealed class RendezvousStage(PairingTable table, ISessionStarter sessions, DeadlineSweeper deadlines, IOptions<SplicerOptions> options) : IPairingStage
{
    private readonly TimeSpan _pairingTimeout = options.Value.PairingTimeout;
    private readonly Ending _tokenBusy = Ends.RefusedAfterHandshake(Refusal.TokenBusy,
        $"{options.Value.MaxWaitingPerToken} connections already wait on this token (Splicer:MaxWaitingPerToken)");

    public Task JoinAsync(RelayConnection connection, PairingRequest request, CancellationToken stopping)
    {
        var attempt = table.Enter(connection, request);
        switch (attempt.Result)
        {
            case PairingResult.Matched:
                var waiter = attempt.Pending!;
                if (waiter.Connection.Transport is null)
                {
                    sessions.Start(waiter.Connection, connection, waiter.Watch);
                }

                // A waiter behind a transport was woken, and starts the session once it lets go of its transport.
                return Task.CompletedTask;
            case PairingResult.Waiting when connection.Transport is null:
                // Not awaited: the stages' frames are done with, and the watch is all a waiting connection holds.
                var pending = attempt.Pending!;
                pending.Watch = WaitAloneAsync(pending);
                return Task.CompletedTask;
            case PairingResult.Waiting:
                return WaitBehindTransportAsync(attempt.Pending!);
            default:
                return connection.EndAsync(_tokenBusy).AsTask();
        }
    }

    /// <summary>
    /// Watches a plain waiter's socket until it wakes. Claimed by then, it returns (the session's pump
    /// takes it from here); else the waiter withdraws and ends for what woke it: the client, its
    /// deadline, the relay stopping, or a match that dismissed it.
    /// </summary>
    private async Task WaitAloneAsync(PendingConnection pending)
    {
        var connection = pending.Connection;
        try
        {
            var activity = Activity.Cancelled;
            while (pending.State == PendingState.Waiting)
            {
                var alive = await SocketActivity.WakeAsync(connection.Socket);

                // Once decided, the socket is the session's, and what woke it is the session's to find out.
                if (pending.State != PendingState.Waiting)
                {
                    break;
                }

                if ((alive ? SocketActivity.Look(connection.Socket) : Activity.Failed) is { } seen)
                {
                    activity = seen;
                    break;
                }
            }

            await EndUnlessClaimedAsync(pending, activity);
        }
        catch (Exception ex) when (pending.State != PendingState.Claimed)
        {
            // Whatever broke, the connection ends recorded; a claimed one is the session's.
            await connection.EndAsync(Ends.Unexpected(ex));
        }
    }

    /// <summary>A TLS or WebSocket waiter: its transport holds early bytes, so it is watched until decided, then let go.</summary>
    private async Task WaitBehindTransportAsync(PendingConnection pending)
    {
        var connection = pending.Connection;
        using var watchCancellation = new CancellationTokenSource();
        var watch = TransportActivity.WaitAsync(connection.Transport!, watchCancellation.Token);
        await Task.WhenAny(pending.Decided, watch);
        if (pending.State == PendingState.Waiting)
        {
            await EndUnlessClaimedAsync(pending, await watch);
            return;
        }

        // A partner or a rival decided first: stop watching so the transport is free for the session.
        await watchCancellation.CancelAsync();
        await watch;
        if (pending.State == PendingState.Claimed)
        {
            // Only the two connections are kept for the session's life: neither the request (with the
            // whole token) nor this wait state, nor any stage's frame.
            sessions.Start(connection, pending.Partner);
        }
        else
        {
            await EndUnlessClaimedAsync(pending, Activity.Cancelled);
        }
    }

    private async Task EndUnlessClaimedAsync(PendingConnection pending, Activity activity)
    {
        var connection = pending.Connection;
        if (pending.TryWithdraw())
        {
            table.Leave(pending);
            deadlines.TryRelease(connection);
            await connection.EndAsync(Unpaired(connection.ExpiredBy, activity));
        }
        else if (pending.State == PendingState.Dismissed)
        {
            deadlines.TryRelease(connection);
            await connection.EndAsync(Ends.Redundant);
        }
    }

    private Ending Unpaired(Expiry expiry, Activity activity) => expiry switch
    {
        Expiry.Stopping => Ends.StoppingWhileWaiting,
        Expiry.PairingTimeout => Ends.NoPartner(_pairingTimeout),
        _ => activity switch
        {
            Activity.Data => Ends.Impatient,
            Activity.Closed => Ends.LeftWhileWaiting,
            _ => Ends.LostWhileWaiting,
        },
    };
}
