using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Splicer.Tests.Infrastructure;

/// <summary>A peer as a test sees it: a plain socket to the relay with a few readable helpers.</summary>
internal sealed class TestClient : IDisposable
{
    private TestClient(Socket socket) => Socket = socket;

    public Socket Socket { get; }

    /// <param name="from">The local address to dial from (e.g. 127.0.0.2); any when null.</param>
    public static async Task<TestClient> ConnectAsync(IPEndPoint relay, IPAddress? from = null)
    {
        var socket = new Socket(relay.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (from is not null)
        {
            socket.Bind(new IPEndPoint(from, 0));
        }

        await socket.ConnectAsync(relay).WithPatience();
        return new TestClient(socket);
    }

    /// <summary>Connects and sends the handshake for <paramref name="token"/>.</summary>
    public static async Task<TestClient> RequestAsync(IPEndPoint relay, string token, string? side, IPAddress? from = null)
    {
        var client = await ConnectAsync(relay, from);
        await client.SendAsync(Pairing.Handshake(token, side));
        return client;
    }

    /// <summary>
    /// Two clients on a fresh token with different sides, both past <c>ok</c>. The first is side A
    /// of the session: the second handshake is sent only once the first is waiting.
    /// </summary>
    public static async Task<ClientPair> PairAsync(RelayHost relay, string? token = null)
    {
        token ??= Pairing.NewToken();
        var first = await RequestAsync(relay.EndPoint, token, Pairing.NewSide());
        await Patience.Until(() => relay.Services.WaitingConnections() > 0, "the first client to wait");
        var second = await RequestAsync(relay.EndPoint, token, Pairing.NewSide());
        return await BothOkAsync(first, second, token);
    }

    /// <summary>Two clients on a fresh token with different sides, both past <c>ok</c>, in no set order.</summary>
    public static async Task<ClientPair> PairAsync(IPEndPoint relay)
    {
        var token = Pairing.NewToken();
        var first = await RequestAsync(relay, token, Pairing.NewSide());
        var second = await RequestAsync(relay, token, Pairing.NewSide());
        return await BothOkAsync(first, second, token);
    }

    private static async Task<ClientPair> BothOkAsync(TestClient first, TestClient second, string token)
    {
        Assert.Equal("ok\n", await first.ReadLineAsync());
        Assert.Equal("ok\n", await second.ReadLineAsync());
        return new ClientPair(first, second, token);
    }

    public Task SendAsync(string text) => SendAsync(Encoding.ASCII.GetBytes(text));

    public async Task SendAsync(ReadOnlyMemory<byte> bytes) => await Socket.SendAsync(bytes, SocketFlags.None).WithPatience();

    /// <summary>Reads one line including its newline, byte by byte so nothing after it is consumed.</summary>
    public async Task<string> ReadLineAsync()
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (await Socket.ReceiveAsync(one, SocketFlags.None).WithPatience() == 1)
        {
            line.Append((char)one[0]);
            if (one[0] == '\n')
            {
                break;
            }
        }

        return line.ToString();
    }

    public async Task<byte[]> ReadExactlyAsync(int count)
    {
        var buffer = new byte[count];
        for (var read = 0; read < count;)
        {
            var received = await Socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None).WithPatience();
            if (received == 0)
            {
                throw new EndOfStreamException($"Closed after {read} of {count} bytes");
            }

            read += received;
        }

        return buffer;
    }

    /// <summary>Reads until the peer's FIN; a reset fails the test.</summary>
    public async Task<byte[]> ReadToEndAsync()
    {
        using var all = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int received;
        while ((received = await Socket.ReceiveAsync(buffer, SocketFlags.None).WithPatience()) > 0)
        {
            all.Write(buffer, 0, received);
        }

        return all.ToArray();
    }

    /// <summary>Waits for the relay to close this connection, discarding anything still in flight; says how it ended.</summary>
    public async Task<Closure> WaitClosedAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (await Socket.ReceiveAsync(buffer, SocketFlags.None).WithPatience() > 0)
            {
            }

            return Closure.Fin;
        }
        catch (SocketException)
        {
            return Closure.Reset;
        }
    }

    public void ShutdownSend() => Socket.Shutdown(SocketShutdown.Send);

    /// <summary>Sends all of <paramref name="payload"/> and then a FIN, in the background, so the test can read meanwhile.</summary>
    public Task SendAllThenShutdownAsync(byte[] payload) => Task.Run(async () =>
    {
        await Socket.SendAsync(payload, SocketFlags.None);
        ShutdownSend();
    });

    /// <summary>Closes with a reset, as a crashed peer would look.</summary>
    public void Reset()
    {
        Socket.LingerState = new LingerOption(true, 0);
        Socket.Dispose();
    }

    public void Dispose() => Socket.Dispose();
}

internal enum Closure
{
    Fin,
    Reset,
}
