using System.Buffers.Binary;
using System.Net.Sockets;

namespace Splicer.Rendezvous.Direct;

/// <summary>
/// The kernel's smoothed round-trip time of a TCP connection (Linux <c>TCP_INFO</c>'s <c>tcpi_rtt</c>), which it keeps
/// from the ACKs of the handshake and every segment since: no probe of our own, no extra byte on the wire.
/// </summary>
internal static class SocketRoundTrip
{
    private const int TcpLevel = 6;
    private const int TcpInfoOption = 11;

    /// <summary><c>tcpi_rtt</c>'s offset in <c>struct tcp_info</c> (8 one-byte fields, then 15 32-bit ones before it), in microseconds.</summary>
    private const int RttOffset = 68;

    /// <summary>Null where the kernel does not say (not Linux, a closed socket).</summary>
    public static TimeSpan? Of(Socket socket)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        Span<byte> info = stackalloc byte[RttOffset + 8];
        try
        {
            var length = socket.GetRawSocketOption(TcpLevel, TcpInfoOption, info);
            return length < RttOffset + 4
                ? null
                : TimeSpan.FromMicroseconds(BinaryPrimitives.ReadUInt32LittleEndian(info[RttOffset..]));
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException)
        {
            return null;
        }
    }
}
