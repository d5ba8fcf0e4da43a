using System.Net;
using System.Net.Sockets;

namespace Splicer.Tests.Infrastructure;

/// <summary>A loopback TCP port nothing listens on now, for programs that must be told a port up front.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
