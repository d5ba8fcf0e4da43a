using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace Splicer.Bench.Load;

/// <summary>Small connection helpers on caller-owned buffers: nothing here allocates per call.</summary>
internal static class SocketIo
{
    /// <summary>
    /// Loopback connections come from 127.0.0.1 to 127.0.0.8 in turn: one source address has about
    /// 28 000 ephemeral ports toward one relay port, and 20 000 idle pairs are 40 000 connections.
    /// </summary>
    private const int SourceAddresses = 8;
    private const int IpBindAddressNoPort = 24; // IP_BIND_ADDRESS_NO_PORT: the port is chosen at connect, per destination
    private static int _nextSource;

    public static async ValueTask<Socket> ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (IPAddress.IsLoopback(endPoint.Address) && endPoint.AddressFamily == AddressFamily.InterNetwork)
            {
                var source = (uint)Interlocked.Increment(ref _nextSource) % SourceAddresses;
                socket.SetRawSocketOption(0, IpBindAddressNoPort, BitConverter.GetBytes(1));
                socket.Bind(new IPEndPoint(new IPAddress([127, 0, 0, (byte)(1 + source)]), 0));
            }

            await socket.ConnectAsync(endPoint, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Fills <paramref name="buffer"/> completely; fails if the stream ends first.</summary>
    public static async ValueTask ReceiveExactlyAsync(PairEnd end, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            var read = await end.ReceiveAsync(buffer, cancellationToken);
            if (read == 0)
            {
                throw new EndOfStreamException($"connection closed with {buffer.Length} bytes still expected");
            }

            buffer = buffer[read..];
        }
    }

    /// <summary>Reads and discards until the peer's end; returns how many bytes came before it.</summary>
    public static async ValueTask<long> DrainToEndAsync(PairEnd end, Memory<byte> scratch, CancellationToken cancellationToken)
    {
        long total = 0;
        int read;
        while ((read = await end.ReceiveAsync(scratch, cancellationToken)) > 0)
        {
            total += read;
        }

        return total;
    }

    /// <summary>
    /// Ends a pair in good order: the near side ends its sending, the far side drains it and ends its own,
    /// the near side drains. A relay that drops the whole pair on the first end (the reference one) ends it
    /// early; that is fine.
    /// </summary>
    public static async ValueTask CloseInOrderAsync(JoinedPair pair, Memory<byte> scratch, CancellationToken cancellationToken)
    {
        try
        {
            await pair.Near.EndSendingAsync(cancellationToken);
            await DrainToEndAsync(pair.Far, scratch, cancellationToken);
            await pair.Far.EndSendingAsync(cancellationToken);
            await DrainToEndAsync(pair.Near, scratch, cancellationToken);
        }
        catch (Exception ex) when (ex is SocketException or IOException or WebSocketException)
        {
            // The relay closed the pair itself; nothing is left to end.
        }
        finally
        {
            pair.Dispose();
        }
    }
}
