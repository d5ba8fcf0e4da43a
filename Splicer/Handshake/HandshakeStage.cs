using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Splicer.Accept;
using Splicer.Accounting;
using Splicer.Hosting;

namespace Splicer.Handshake;

/// <summary>Reads the handshake within the handshake timeout; answers and closes anything that is not one.</summary>
internal sealed class HandshakeStage(IOptions<SplicerOptions> options, ConnectionCloser closer, StageCounters counters)
{
    private readonly TimeSpan _timeout = options.Value.HandshakeTimeout;

    /// <summary>The client's request, or null when the connection has been ended here.</summary>
    public async Task<PairingRequest?> ReadAsync(RelayConnection connection, CancellationToken stopping)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(_timeout);
        HandshakeResult result;
        try
        {
            result = await HandshakeReader.ReadAsync(connection.Socket, deadline.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            closer.Close(connection, Outcome.Lonely, "relay stopping during handshake");
            return null;
        }
        catch (OperationCanceledException)
        {
            counters.Count(HandshakeVerdict.TimedOut);
            closer.Close(connection, Outcome.TimedOut, $"no complete handshake within {_timeout:c} (Splicer:HandshakeTimeout)");
            return null;
        }
        catch (SocketException ex)
        {
            counters.Count(HandshakeVerdict.Bad);
            closer.Close(connection, Outcome.Errory, $"connection failed during handshake: {ex.SocketErrorCode}");
            return null;
        }

        switch (result.Status)
        {
            case HandshakeStatus.Accepted:
                counters.Count(HandshakeVerdict.Ok);
                connection.Identify(result.Request!);
                return result.Request;
            case HandshakeStatus.Invalid:
                counters.Count(HandshakeVerdict.Bad);
                await closer.CloseWithReplyAsync(connection, HandshakeGrammar.BadHandshake, Outcome.Errory,
                    $"bad handshake: unexpected byte at offset {result.ValidBytes}");
                return null;
            default:
                counters.Count(HandshakeVerdict.Bad);
                closer.Close(connection, Outcome.Errory, $"closed after {result.ValidBytes} bytes of handshake");
                return null;
        }
    }
}
