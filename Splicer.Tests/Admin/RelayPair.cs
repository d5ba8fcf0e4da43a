using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Splicer.Tests.Admin;

/// <summary>Two clients paired through the relay; A arrived first.</summary>
internal sealed class RelayPair : IDisposable
{
    private RelayPair(Socket a, Socket b, string token)
    {
        A = a;
        B = b;
        Token = token;
    }

    public Socket A { get; }

    public Socket B { get; }

    public string Token { get; }

    /// <summary>Connects A, waits until the relay holds it as waiting, then connects B, so that A is side A.</summary>
    public static async Task<RelayPair> ConnectAsync(AdminHost host, CancellationToken cancellationToken)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var waitingBefore = host.Monitor.Totals().WaitingConnections;
        var a = await HandshakeAsync(host.SpliceEndPoint, token, cancellationToken);
        await Eventually.TrueAsync(() => host.Monitor.Totals().WaitingConnections > waitingBefore, "A waits for its partner", cancellationToken);
        var b = await HandshakeAsync(host.SpliceEndPoint, token, cancellationToken);
        await ExpectOkAsync(a, cancellationToken);
        await ExpectOkAsync(b, cancellationToken);
        return new RelayPair(a, b, token);
    }

    /// <summary>Reads until the peer closes or resets; true once the connection is over.</summary>
    public static async Task DrainUntilClosedAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken) > 0)
            {
            }
        }
        catch (SocketException)
        {
            // Reset: closed too.
        }
    }

    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
    }

    private static async Task<Socket> HandshakeAsync(IPEndPoint relay, string token, CancellationToken cancellationToken)
    {
        var socket = new Socket(relay.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(relay, cancellationToken);
        var side = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        await socket.SendAsync(Encoding.ASCII.GetBytes($"please relay {token} for side {side}\n"), SocketFlags.None, cancellationToken);
        return socket;
    }

    private static async Task ExpectOkAsync(Socket socket, CancellationToken cancellationToken)
    {
        var reply = new byte[3];
        var read = 0;
        while (read < reply.Length)
        {
            var n = await socket.ReceiveAsync(reply.AsMemory(read), SocketFlags.None, cancellationToken);
            Assert.True(n > 0, "the relay closed before ok");
            read += n;
        }

        Assert.Equal("ok\n", Encoding.ASCII.GetString(reply));
    }
}
