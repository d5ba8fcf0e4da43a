using System.Net;
using System.Net.Sockets;

namespace Splicer.Bench.Infrastructure;

internal static class FreePort
{
    /// <summary>A loopback port that was free a moment ago (the kernel picks it; a race is possible but rare).</summary>
    public static int Next()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
