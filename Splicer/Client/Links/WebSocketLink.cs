using System.Net.Sockets;
using System.Net.WebSockets;
using Splicer.Transport;

namespace Splicer.Client.Links;

/// <summary>
/// The relay protocol in WebSocket binary messages (at most <see cref="MaxMessage"/> bytes each, so a relay's
/// message limit is never reached); the end of this side's sending is a Close frame, which the relay passes on as
/// a FIN. A text message from the relay is a protocol error.
/// </summary>
public sealed class WebSocketLink(Socket socket, WebSocket webSocket, Stream under, string transport) : RelayLink(socket), IWebSocketBytesRules
{
    public const int MaxMessage = 64 * 1024;

    public override string Transport => transport;

    public override ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        WebSocketBytes.ReceiveAsync(webSocket, buffer, this, cancellationToken);

    public override async ValueTask SendAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            while (!buffer.IsEmpty)
            {
                var message = buffer[..Math.Min(buffer.Length, MaxMessage)];
                await webSocket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
                buffer = buffer[message.Length..];
            }
        }
        catch (WebSocketException error)
        {
            throw Failed(error);
        }
    }

    public override ValueTask CompleteSendingAsync(CancellationToken cancellationToken) =>
        WebSocketBytes.CloseSendingAsync(webSocket, this, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            webSocket.Dispose();
            under.Dispose();
        }

        base.Dispose(disposing);
    }

    public IOException Failed(WebSocketException error) =>
        new($"WebSocket: {(webSocket.CloseStatus is { } status ? $"the relay closed with {(int)status} {webSocket.CloseStatusDescription}" : error.Message)}", error);

    ValueTask IWebSocketBytesRules.OnBinaryAsync(ValueWebSocketReceiveResult received) => ValueTask.CompletedTask;

    ValueTask<IOException> IWebSocketBytesRules.OnTextAsync() =>
        ValueTask.FromResult(new IOException("the relay sent a WebSocket text message; the relay protocol is binary messages only"));
}
