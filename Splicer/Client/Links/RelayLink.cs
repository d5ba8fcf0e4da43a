using System.Net.Sockets;

namespace Splicer.Client.Links;

/// <summary>
/// One connection to the relay, whatever carries it (plain TCP, TLS, WebSocket): bytes in order both ways, an end
/// of this side's sending that leaves the other direction open, and the TCP socket underneath. Every failure of
/// the connection surfaces as an <see cref="IOException"/> whose message says what happened.
/// </summary>
public abstract class RelayLink(Socket socket) : IDisposable
{
    /// <summary>The TCP socket under the link; its local endpoint is the one the relay sees (before any NAT).</summary>
    public Socket Socket { get; } = socket;

    /// <summary>The URL scheme of the transport: <c>tcp</c>, <c>tls</c>, <c>ws</c>, <c>wss</c>.</summary>
    public abstract string Transport { get; }

    /// <summary>Reads what has arrived into <paramref name="buffer"/>; 0 when the relay ended this direction.</summary>
    public abstract ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Sends all of <paramref name="buffer"/>.</summary>
    public abstract ValueTask SendAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Ends this side's direction (FIN, TLS close_notify, or a WebSocket Close frame); reading goes on.</summary>
    public abstract ValueTask CompleteSendingAsync(CancellationToken cancellationToken);

    /// <summary>Fills <paramref name="buffer"/>; returns how much arrived before the end (less only at the end).</summary>
    public async ValueTask<int> ReceiveFullAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await ReceiveAsync(buffer[filled..], cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Socket.Dispose();
        }
    }

    protected void ShutdownSocketSending()
    {
        try
        {
            Socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The connection is already gone; the reading side reports it.
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
