using System.Net.Security;
using System.Net.Sockets;

namespace Splicer.Transport;

/// <summary>A TLS connection carrying the plain relay protocol (or, once upgraded, a WebSocket: <see cref="WebSocketTransport"/>).</summary>
internal sealed class TlsTransport(SslStream tls, Socket socket) : StreamTransport
{
    public override string Name => "tls";

    public SslStream Stream => tls;

    protected override ValueTask<int> ReadCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        tls.ReadAsync(buffer, cancellationToken);

    protected override ValueTask WriteCoreAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        tls.WriteAsync(data, cancellationToken);

    /// <summary>close_notify, then a FIN: TLS 1.3 clients (and most 1.2 ones) go on reading and writing the other way.</summary>
    protected override async ValueTask CloseSendingCoreAsync(CancellationToken cancellationToken)
    {
        await tls.ShutdownAsync().WaitAsync(cancellationToken);
        socket.Shutdown(SocketShutdown.Send);
    }

    protected override void DisposeCore() => tls.Dispose();
}
