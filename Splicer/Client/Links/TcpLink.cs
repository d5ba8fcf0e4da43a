using System.Net.Sockets;

namespace Splicer.Client.Links;

/// <summary>The relay protocol straight on the TCP socket.</summary>
public sealed class TcpLink(Socket socket) : RelayLink(socket)
{
    public override string Transport => "tcp";

    public override async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await Socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
        }
        catch (SocketException error)
        {
            throw new IOException(error.Message, error);
        }
    }

    public override async ValueTask SendAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            while (!buffer.IsEmpty)
            {
                buffer = buffer[await Socket.SendAsync(buffer, SocketFlags.None, cancellationToken)..];
            }
        }
        catch (SocketException error)
        {
            throw new IOException(error.Message, error);
        }
    }

    public override ValueTask CompleteSendingAsync(CancellationToken cancellationToken)
    {
        ShutdownSocketSending();
        return ValueTask.CompletedTask;
    }
}
