using System.Net.WebSockets;

namespace Splicer.Transport;

/// <summary>
/// The relay protocol in WebSocket binary messages (RFC 6455 framing by the BCL's WebSocket, no
/// compression). Message boundaries mean nothing: a handshake may span messages or share one with
/// data. A text message is a protocol error: Close 1003 with a reason, and the connection fails.
/// A Close frame from the client is its FIN; the relay's FIN is its own Close frame. A message longer than
/// the configured limit is closed with 1009 (message too big).
/// </summary>
internal sealed class WebSocketTransport(WebSocket webSocket, string name, IDisposable? under, int maxMessageBytes) : StreamTransport, IWebSocketBytesRules
{
    public const string TextRefused = "binary messages only";
    public const string TooBig = "message too big";

    private long _messageBytes;

    public override string Name => name;

    protected override ValueTask<int> ReadCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        WebSocketBytes.ReceiveAsync(webSocket, buffer, this, cancellationToken);

    protected override async ValueTask WriteCoreAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        try
        {
            await webSocket.SendAsync(data, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
        }
        catch (WebSocketException ex)
        {
            throw Failed(ex);
        }
    }

    protected override ValueTask CloseSendingCoreAsync(CancellationToken cancellationToken) =>
        WebSocketBytes.CloseSendingAsync(webSocket, this, cancellationToken);

    protected override void DisposeCore()
    {
        webSocket.Dispose();
        under?.Dispose();
    }

    IOException IWebSocketBytesRules.Failed(WebSocketException error) => Failed(error);

    async ValueTask<IOException> IWebSocketBytesRules.OnTextAsync()
    {
        await RefuseAsync(WebSocketCloseStatus.InvalidMessageType, TextRefused);
        return new IOException("websocket: a text message (" + TextRefused + ")");
    }

    async ValueTask IWebSocketBytesRules.OnBinaryAsync(ValueWebSocketReceiveResult received)
    {
        _messageBytes += received.Count;
        if (_messageBytes > maxMessageBytes)
        {
            await RefuseAsync(WebSocketCloseStatus.MessageTooBig, TooBig);
            throw new IOException($"websocket: a message longer than {maxMessageBytes} bytes ({TooBig})");
        }

        _messageBytes = received.EndOfMessage ? 0 : _messageBytes;
    }

    private static IOException Failed(WebSocketException error) => new("websocket: " + error.WebSocketErrorCode, error);

    private async Task RefuseAsync(WebSocketCloseStatus status, string reason)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await webSocket.CloseOutputAsync(status, reason, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The client is gone or not reading; the connection fails all the same.
        }
    }
}
