using System.Buffers;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using Microsoft.Extensions.Options;
using Splicer.Accept;
using Splicer.Endings;
using Splicer.Options;

namespace Splicer.Transport;

/// <summary>
/// Sniffs a new connection's first byte and sets up what it speaks, within the handshake timeout:
/// a TLS record (0x16) gets a TLS handshake and is sniffed again inside; <c>G</c> (of <c>GET </c>)
/// gets a WebSocket upgrade; anything else is the relay protocol on plain TCP, left on the socket
/// untouched (the sniff only peeks) so its session can take the kernel path.
/// </summary>
internal sealed class TransportStage(
    IOptions<SplicerOptions> relay,
    IOptions<WebSocketTransportOptions> webSocketOptions,
    TlsAcceptor tls,
    TransportCounters counters,
    IConnectionStage next) : IConnectionStage
{
    public const byte TlsHandshakeRecord = 0x16;
    public const byte HttpGet = (byte)'G';

    private readonly TimeSpan _timeout = relay.Value.HandshakeTimeout;
    private readonly WebSocketTransportOptions _webSockets = webSocketOptions.Value;

    public async Task RunAsync(RelayConnection connection, CancellationToken stopping)
    {
        if (!tls.Enabled && !_webSockets.Enabled)
        {
            await next.RunAsync(connection, stopping);
            return;
        }

        var ending = await SetUpWithinTimeoutAsync(connection, stopping);
        if (ending is not null)
        {
            await connection.EndAsync(ending);
            return;
        }

        counters.Count(connection.TransportName);
        await next.RunAsync(connection, stopping);
    }

    private async Task<Ending?> SetUpWithinTimeoutAsync(RelayConnection connection, CancellationToken stopping)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(_timeout);
        try
        {
            return await SetUpAsync(connection, deadline.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return Ends.StoppingDuringHandshake;
        }
        catch (OperationCanceledException)
        {
            return Ends.HandshakeTimedOut(_timeout);
        }
        catch (AuthenticationException ex)
        {
            return Ends.TlsFailed(TlsAcceptor.Describe(ex));
        }
        catch (IOException ex) when (connection.Transport is null)
        {
            return Ends.TlsFailed(TlsAcceptor.Describe(ex));
        }
        catch (IOException ex)
        {
            return Ends.TransportFailed(ex.Message);
        }
        catch (SocketException ex)
        {
            return Ends.FailedDuringHandshake(ex.SocketErrorCode.ToString());
        }
    }

    private async Task<Ending?> SetUpAsync(RelayConnection connection, CancellationToken cancellationToken)
    {
        var first = await PeekAsync(connection.Socket, cancellationToken);
        if (first == TlsHandshakeRecord && tls.Enabled)
        {
            var secured = await tls.AcceptAsync(connection, cancellationToken);
            connection.Wrap(secured);
            first = await SniffInsideAsync(secured, cancellationToken);
            return first == HttpGet && _webSockets.Enabled
                ? await UpgradeAsync(connection, secured.Stream, secured, "wss", cancellationToken)
                : null;
        }

        return first == HttpGet && _webSockets.Enabled
            ? await UpgradeAsync(connection, new NetworkStream(connection.Socket, ownsSocket: false), null, "ws", cancellationToken)
            : null;
    }

    /// <summary>The first byte, left in the socket; -1 if the client closed without sending one.</summary>
    private static async Task<int> PeekAsync(Socket socket, CancellationToken cancellationToken)
    {
        var probe = new byte[1];
        var received = await socket.ReceiveAsync(probe, SocketFlags.Peek, cancellationToken);
        return received == 0 ? -1 : probe[0];
    }

    /// <summary>The first byte inside TLS, pushed back for whoever reads next.</summary>
    private static async Task<int> SniffInsideAsync(TlsTransport secured, CancellationToken cancellationToken)
    {
        var probe = new byte[1];
        if (await secured.ReadAsync(probe, cancellationToken) == 0)
        {
            return -1;
        }

        secured.PushBack(probe);
        return probe[0];
    }

    /// <summary>
    /// Reads the upgrade request's head (never more than <see cref="WebSocketTransportOptions.MaxRequestBytes"/>),
    /// answers it, and puts the connection behind a WebSocket; what arrived after the head is its first frame bytes.
    /// </summary>
    private async Task<Ending?> UpgradeAsync(RelayConnection connection, Stream under, IDisposable? underTransport, string name, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(_webSockets.MaxRequestBytes);
        try
        {
            var received = 0;
            int headLength;
            while ((headLength = WebSocketUpgrade.HeadLength(buffer.AsSpan(0, received))) < 0)
            {
                if (received == _webSockets.MaxRequestBytes)
                {
                    var tooLong = UpgradeDecision.Refuse(431, "Request Header Fields Too Large", $"the request head is longer than {received} bytes");
                    return Ends.UpgradeRefused(tooLong.Status, tooLong.Reason, tooLong.Response);
                }

                var count = await connection.ReceiveAsync(buffer.AsMemory(received, _webSockets.MaxRequestBytes - received), cancellationToken);
                if (count == 0)
                {
                    return Ends.ClosedDuringHandshake(received);
                }

                received += count;
            }

            var decision = WebSocketUpgrade.Decide(buffer.AsSpan(0, headLength), _webSockets);
            if (!decision.IsAccepted)
            {
                return Ends.UpgradeRefused(decision.Status, decision.Reason, decision.Response);
            }

            await connection.SendAsync(decision.Response, cancellationToken);
            var webSocket = WebSocket.CreateFromStream(new PrefixedStream(buffer.AsSpan(headLength, received - headLength).ToArray(), under), new WebSocketCreationOptions
            {
                IsServer = true,
                KeepAliveInterval = _webSockets.KeepAliveInterval,
                KeepAliveTimeout = _webSockets.KeepAliveTimeout,
            });
            connection.Wrap(new WebSocketTransport(webSocket, name, underTransport, _webSockets.MaxMessageBytes));
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
