using System.Net.WebSockets;

namespace Splicer.Transport;

/// <summary>What one end does with the WebSocket messages that are not plain data.</summary>
public interface IWebSocketBytesRules
{
    /// <summary>Called for each part of a binary message as it arrives (a relay counts message length here).</summary>
    ValueTask OnBinaryAsync(ValueWebSocketReceiveResult received);

    /// <summary>A text message came, which the relay protocol never sends: the error to fail with.</summary>
    ValueTask<IOException> OnTextAsync();

    /// <summary>The error to fail with when the WebSocket itself failed.</summary>
    IOException Failed(WebSocketException error);
}

/// <summary>
/// The relay protocol's bytes in WebSocket binary messages, read and ended the same way at both ends:
/// message boundaries mean nothing, an empty message is skipped, a Close frame is the end of the stream,
/// and this end's end of sending is its own Close frame.
/// </summary>
public static class WebSocketBytes
{
    /// <summary>The next bytes of the binary messages; 0 once the other end sent its Close frame.</summary>
    public static async ValueTask<int> ReceiveAsync<TRules>(WebSocket webSocket, Memory<byte> buffer, TRules rules, CancellationToken cancellationToken)
        where TRules : IWebSocketBytesRules
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
                        throw await rules.OnTextAsync();
                    case WebSocketMessageType.Binary:
                        await rules.OnBinaryAsync(received);
                        if (received.Count > 0 || buffer.IsEmpty)
                        {
                            return received.Count;
                        }

                        break;
                }
            }
        }
        catch (WebSocketException error)
        {
            throw rules.Failed(error);
        }
    }

    /// <summary>Sends a Close frame unless one was sent already or the socket is gone.</summary>
    public static async ValueTask CloseSendingAsync<TRules>(WebSocket webSocket, TRules rules, CancellationToken cancellationToken)
        where TRules : IWebSocketBytesRules
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
            throw rules.Failed(error);
        }
    }
}
