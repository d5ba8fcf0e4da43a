using System.Net.Security;
using System.Net.Sockets;

namespace Splicer.Client.Links;

/// <summary>The relay protocol inside TLS: the end of this side's sending is a close_notify, then the FIN.</summary>
public sealed class TlsLink(Socket socket, SslStream tls) : RelayLink(socket)
{
    public override string Transport => "tls";

    public override async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        await tls.ReadAsync(buffer, cancellationToken);

    public override async ValueTask SendAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken) =>
        await tls.WriteAsync(buffer, cancellationToken);

    public override async ValueTask CompleteSendingAsync(CancellationToken cancellationToken)
    {
        await tls.ShutdownAsync().WaitAsync(cancellationToken);
        ShutdownSocketSending();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            tls.Dispose();
        }

        base.Dispose(disposing);
    }
}
