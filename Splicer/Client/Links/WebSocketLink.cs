using System.Net.Sockets;
using System.Net.WebSockets;

namespace Splicer.Client.Links;

/// <summary>
/// The relay protocol in WebSocket binary messages (at most <see cref="MaxMessage"/> bytes each, so a relay's
/// message limit is never reached); the end of this side's sending is a Close frame, which the relay passes on as
/// a FIN. A text message from the relay is a protocol error.
/// </summary>
public sealed class WebSocketLink(Socket socket, WebSocket webSocket, Stream under, string transport) : RelayLink(socket)
{
    public const int MaxMessage = 64 * 1024;

    public override string Transport => transport;

    public override async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var received = await webSocket.ReceiveAsync(buffer, cancellationToken);
                switch (received.MessageType)
                {
                    case WebSocketMessageType.Close:
                        return 0;
                    case WebSocketMessageType.Text:
                        throw new IOException("the relay sent a WebSocket text message; the relay protocol is binary messages only");
                    case WebSocketMessageType.Binary when received.Count > 0 || buffer.IsEmpty:
                        return received.Count;
                }
            }
        }
        catch (WebSocketException error)
        {
            throw new IOException($"WebSocket: {Describe(error)}", error);
        }
    }

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
            throw new IOException($"WebSocket: {Describe(error)}", error);
        }
    }

    public override async ValueTask CompleteSendingAsync(CancellationToken cancellationToken)
    {
        if (webSocket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        try
        {
            await webSocket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
        }
        catch (WebSocketException error)
        {
            throw new IOException($"WebSocket: {Describe(error)}", error);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            webSocket.Dispose();
            under.Dispose();
        }

        base.Dispose(disposing);
    }

    private string Describe(WebSocketException error) =>
        webSocket.CloseStatus is { } status ? $"the relay closed with {(int)status} {webSocket.CloseStatusDescription}" : error.Message;
}
