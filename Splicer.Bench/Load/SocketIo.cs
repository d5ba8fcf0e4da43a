using System.Net;
using System.Net.Sockets;

namespace Splicer.Bench.Load;

/// <summary>Small socket helpers on caller-owned buffers: nothing here allocates per call.</summary>
internal static class SocketIo
{
    public static async ValueTask<Socket> ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static async ValueTask SendAllAsync(Socket socket, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await socket.SendAsync(bytes, SocketFlags.None, cancellationToken);
            bytes = bytes[sent..];
        }
    }

    /// <summary>Fills <paramref name="buffer"/> completely; fails if the stream ends first.</summary>
    public static async ValueTask ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                throw new EndOfStreamException($"connection closed with {buffer.Length} bytes still expected");
            }

            buffer = buffer[read..];
        }
    }

    /// <summary>Reads and discards until the peer's FIN; returns how many bytes came before it.</summary>
    public static async ValueTask<long> DrainToEndAsync(Socket socket, Memory<byte> scratch, CancellationToken cancellationToken)
    {
        long total = 0;
        int read;
        while ((read = await socket.ReceiveAsync(scratch, SocketFlags.None, cancellationToken)) > 0)
        {
            total += read;
        }

        return total;
    }

    /// <summary>
    /// Ends a pair in good order: FIN from the near side, drain it on the far side, FIN back, drain.
    /// A relay that drops the whole pair on the first FIN (the reference one) ends it early; that is fine.
    /// </summary>
    public static async ValueTask CloseInOrderAsync(SocketPair pair, Memory<byte> scratch, CancellationToken cancellationToken)
    {
        try
        {
            pair.Near.Shutdown(SocketShutdown.Send);
            await DrainToEndAsync(pair.Far, scratch, cancellationToken);
            pair.Far.Shutdown(SocketShutdown.Send);
            await DrainToEndAsync(pair.Near, scratch, cancellationToken);
        }
        catch (SocketException)
        {
            // The relay closed the pair itself; nothing is left to end.
        }
        finally
        {
            pair.Dispose();
        }
    }
}
