using System.Net.Sockets;

namespace Splicer.Bench.Load;

/// <summary>
/// Two sockets joined by the target: every byte written to <see cref="Near"/> arrives at
/// <see cref="Far"/> and back. For a relay both are client connections; for a forwarder or direct
/// loopback, <see cref="Far"/> is the connection the bench's own sink accepted.
/// </summary>
internal sealed class SocketPair(Socket near, Socket far) : IDisposable
{
    public Socket Near { get; } = near;

    public Socket Far { get; } = far;

    public void Dispose()
    {
        Near.Dispose();
        Far.Dispose();
    }
}
