using System.Net;
using System.Net.Sockets;

namespace Splicer.Client.Links;

/// <summary>
/// Sockets that may share one local port: the connection to the relay, the dials to the partner from that same
/// port (so they leave through the NAT mapping the relay saw), and a listener on it. Needs <c>SO_REUSEADDR</c> and,
/// on Linux, <c>SO_REUSEPORT</c> on every one of them, set before bind.
/// </summary>
public static class ReusablePort
{
    private const int SocketLevel = 1;
    private const int ReusePortOption = 15;

    public static Socket NewSocket(AddressFamily family)
    {
        var socket = new Socket(family, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (OperatingSystem.IsLinux())
            {
                socket.SetRawSocketOption(SocketLevel, ReusePortOption, BitConverter.GetBytes(1));
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A socket bound to <paramref name="local"/>, ready to connect or listen.</summary>
    public static Socket BoundTo(IPEndPoint local)
    {
        var socket = NewSocket(local.AddressFamily);
        try
        {
            socket.Bind(local);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
