using System.Net;
using System.Net.Sockets;

namespace Splicer.Tests.Infrastructure;

/// <summary>Connected socket pairs over 127.0.0.1: the relay's end of a connection and the peer's.</summary>
internal sealed class LoopbackSockets : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public LoopbackSockets()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(512);
    }

    /// <summary>One connection: the socket the relay accepted and the peer's socket.</summary>
    public async Task<(Socket Accepted, Socket Peer)> ConnectAsync()
    {
        var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var accepting = _listener.AcceptAsync();
        await peer.ConnectAsync(_listener.LocalEndPoint!).WithPatience();
        return (await accepting.WithPatience(), peer);
    }

    public void Dispose() => _listener.Dispose();
}
