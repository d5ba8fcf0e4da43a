using Splicer.Client.Failures;
using Splicer.Client.Links;
using Splicer.Client.Paths.DirectLeg;
using Splicer.Client.Paths.RelayLeg;

namespace Splicer.Client.Paths;

/// <summary>
/// Moves a sealed stream that runs on the relay to a direct path when one comes up: tries the broker's advice in
/// the background (the stream flows on the relay meanwhile), hands a proven, agreed connection to its switch, says
/// on stderr which path the bytes take and when it changed, and reports the outcome to the relay with its ticket.
/// With <see cref="PathChoice.DirectOnly"/> it waits for the direct path instead, and fails without one.
/// </summary>
public static class DirectAttempt
{
    private static readonly TimeSpan ReportTimeout = TimeSpan.FromSeconds(5);

    public static async Task StartAsync(PathSwitch paths, PunchedPairing pairing, RelayTarget target, CancellationToken cancellationToken)
    {
        if (pairing.Advice is not { } advice)
        {
            await ReleaseMappingAsync(pairing);
            paths.NoDirect();
            if (target.Path == PathChoice.DirectOnly)
            {
                throw new ClientFailure(target.Enrollment is null
                    ? "--direct-only: a direct path is brokered only by a joined relay (run 'splicer join INVITE')"
                    : "--direct-only: the peer did not ask for a direct path (is it running with --relay-only, or an older splicer?)");
            }

            return;
        }

        Say("path: relayed; trying a direct path to the peer");
        var attempt = TryAsync(paths, pairing, advice, target, cancellationToken);
        if (target.Path == PathChoice.DirectOnly && await attempt is { } failure)
        {
            throw new ClientFailure($"--direct-only: no direct path to the peer ({failure})");
        }
    }

    /// <summary>Null when the stream has a direct path; else why not.</summary>
    private static async Task<string?> TryAsync(PathSwitch paths, PunchedPairing pairing, PunchAdvice advice, RelayTarget target, CancellationToken cancellationToken)
    {
        string? failure;
        try
        {
            var result = await DirectPath.EstablishAsync(
                pairing.Local, advice, paths.Proof, target.Punch, cancellationToken);
            failure = result.Socket is null ? result.Detail : null;
            if (result.Socket is { } socket)
            {
                paths.UseDirect(new TcpLink(socket));
                paths.Closing += SayBytesByPath;
                Say($"path: direct to {socket.RemoteEndPoint} after {result.Elapsed.TotalSeconds:0.00} s; each direction switches at its next frame");
            }
            else
            {
                paths.NoDirect();
                Say($"path: stays relayed ({result.Detail})");
            }
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            paths.NoDirect();
            failure = error.Message;
            Say($"path: stays relayed ({failure})");
        }

        // An established direct connection outlives the mapping: the router's connection tracking keeps it.
        await ReleaseMappingAsync(pairing);
        if (advice.Ticket is { } ticket)
        {
            _ = ReportAsync(target, ticket, failure is null ? "direct" : "relayed");
        }

        return failure;
    }

    private static async Task ReleaseMappingAsync(PunchedPairing pairing)
    {
        if (pairing.Mapping is { } mapping)
        {
            await mapping.DisposeAsync();
        }
    }

    private static void SayBytesByPath(PathSwitch paths)
    {
        var bytes = paths.BytesByPath;
        Say($"path summary: sent {bytes.SentRelayed} bytes relayed and {bytes.SentDirect} direct; received {bytes.ReceivedRelayed} relayed and {bytes.ReceivedDirect} direct");
    }

    /// <summary>Tells the relay how its advice went (<c>splicer 1 punched TICKET OUTCOME</c>); best effort, never in the way.</summary>
    private static async Task ReportAsync(RelayTarget target, string ticket, string outcome)
    {
        using var timeout = new CancellationTokenSource(ReportTimeout);
        try
        {
            using var link = await RelayDialer.DialAsync(target.Address, target.Trust, timeout.Token);
            await RelayConnector.SendAsync(link, $"splicer 1 punched {ticket} {outcome}\n", timeout.Token);
            await RelayConnector.ReadLineAsync(link, timeout.Token);
        }
        catch (Exception error) when (error is ClientFailure or IOException or OperationCanceledException)
        {
            // The count at the relay is only a statistic.
        }
    }

    private static void Say(string line) => Console.Error.WriteLine(line);
}
