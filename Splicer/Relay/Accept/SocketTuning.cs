using System.Net.Sockets;
using Splicer.Options;

namespace Splicer.Accept;

/// <summary>Socket options every relayed connection gets.</summary>
internal static class SocketTuning
{
    /// <summary>
    /// Linux copies these options from the listening socket to every socket it accepts, so they are
    /// set once on the listener instead of five calls per connection.
    /// </summary>
    public static bool InheritedFromListener => OperatingSystem.IsLinux();

    public static void Apply(Socket socket, KeepAliveOptions keepAlive)
    {
        // Relayed protocols do their own batching; Nagle would only add latency to small messages.
        socket.NoDelay = true;
        if (!keepAlive.Enabled)
        {
            return;
        }

        // Finds peers whose box vanished without a FIN, so their pair is torn down and the fds freed.
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, (int)keepAlive.Idle.TotalSeconds);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, (int)keepAlive.Interval.TotalSeconds);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, keepAlive.Probes);
    }
}
