using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace Splicer.Bench.Load;

/// <summary>
/// One end of a joined pair, whatever carries it (a plain socket, TLS, a WebSocket): send everything,
/// receive (0 at the peer's end), end the sending half the transport's own way.
/// </summary>
internal abstract class PairEnd : IDisposable
{
    public abstract ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken);

    public abstract ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    public abstract ValueTask EndSendingAsync(CancellationToken cancellationToken);

    public abstract void Dispose();
}

/// <summary>A plain TCP socket: the raw calls, nothing between the bench and the kernel.</summary>
internal sealed class SocketEnd(Socket socket) : PairEnd
{
    public override async ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await socket.SendAsync(bytes, SocketFlags.None, cancellationToken);
            bytes = bytes[sent..];
        }
    }

    public override ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);

    public override ValueTask EndSendingAsync(CancellationToken cancellationToken)
    {
        socket.Shutdown(SocketShutdown.Send);
        return ValueTask.CompletedTask;
    }

    public override void Dispose() => socket.Dispose();
}

/// <summary>TLS over a socket: the end of sending is <c>close_notify</c> then a FIN, as the relay passes it on.</summary>
internal sealed class TlsEnd(SslStream tls, Socket socket) : PairEnd
{
    public override ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) =>
        tls.WriteAsync(bytes, cancellationToken);

    public override ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        tls.ReadAsync(buffer, cancellationToken);

    public override async ValueTask EndSendingAsync(CancellationToken cancellationToken)
    {
        await tls.ShutdownAsync().WaitAsync(cancellationToken);
        socket.Shutdown(SocketShutdown.Send);
    }

    public override void Dispose() => tls.Dispose();
}

/// <summary>A WebSocket (ws or wss): binary messages out, any message boundaries in, a Close frame to end.</summary>
internal sealed class WebSocketEnd(WebSocket webSocket) : PairEnd
{
    public override ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) =>
        webSocket.SendAsync(bytes, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);

    public override async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            var received = await webSocket.ReceiveAsync(buffer, cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return 0;
            }

            if (received.Count > 0 || buffer.IsEmpty)
            {
                return received.Count;
            }
        }
    }

    public override async ValueTask EndSendingAsync(CancellationToken cancellationToken) =>
        await webSocket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);

    public override void Dispose() => webSocket.Dispose();
}
