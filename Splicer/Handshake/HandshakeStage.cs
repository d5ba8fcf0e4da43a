using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Splicer.Accept;
using Splicer.Endings;
using Splicer.Options;

namespace Splicer.Handshake;

/// <summary>Reads the handshake within the handshake timeout; ends anything that is not one, hands the rest on.</summary>
internal sealed class HandshakeStage(IOptions<SplicerOptions> options, IPairingStage next, StageCounters counters) : IConnectionStage
{
    private readonly TimeSpan _timeout = options.Value.HandshakeTimeout;

    public async Task RunAsync(RelayConnection connection, CancellationToken stopping)
    {
        var (request, ending) = await ReadAsync(connection, stopping);
        if (request is null)
        {
            await connection.EndAsync(ending!);
            return;
        }

        counters.Count(Verdict.Ok);
        connection.Identify(request.TokenPrefix, request.Side);
        await next.JoinAsync(connection, request, stopping);
    }

    private async Task<(PairingRequest? Request, Ending? Ending)> ReadAsync(RelayConnection connection, CancellationToken stopping)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(_timeout);
        try
        {
            var result = await HandshakeReader.ReadAsync(connection.Socket, deadline.Token);
            return result.Status switch
            {
                HandshakeStatus.Accepted => (result.Request, null),
                HandshakeStatus.Invalid => (null, Ends.BadHandshake(result.ValidBytes)),
                _ => (null, Ends.ClosedDuringHandshake(result.ValidBytes)),
            };
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return (null, Ends.StoppingDuringHandshake);
        }
        catch (OperationCanceledException)
        {
            return (null, Ends.HandshakeTimedOut(_timeout));
        }
        catch (SocketException ex)
        {
            return (null, Ends.FailedDuringHandshake(ex.SocketErrorCode.ToString()));
        }
    }
}
