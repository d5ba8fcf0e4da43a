using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Splicer.Client.Framing;
using Splicer.Options;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Client;

/// <summary><c>splicer expose</c> and <c>splicer connect</c>: a local echo service reached through a real relay by the built program.</summary>
public sealed class TunnelTests : IAsyncLifetime
{
    private readonly ClientFolder _folder = new();
    private readonly EchoService _echo = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _echo.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Twenty_concurrent_connections_reach_the_echo_service_byte_exact_each_half_closed()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto);
        var (expose, connect, port) = await StartTunnelAsync($"tcp://127.0.0.1:{relay.EndPoint.Port}");
        await using (expose)
        await using (connect)
        {
            var echoes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => EchoAsync(port, 1 << 20))).WithPatience();

            Assert.All(echoes, echo => Assert.True(echo.Sent.AsSpan().SequenceEqual(echo.Received), "an echo differs"));
        }
    }

    [Fact]
    public async Task Expose_and_connect_reconnect_after_a_relay_restart()
    {
        var relayPort = FreePort.Next();
        var relay = await RelayHost.StartAsync(DataPath.Auto, $"Splicer:Port={relayPort}");
        var (expose, connect, port) = await StartTunnelAsync($"tcp://127.0.0.1:{relayPort}");
        await using (expose)
        await using (connect)
        {
            var before = await EchoAsync(port, 4096);
            Assert.Equal(before.Sent, before.Received);

            await relay.DisposeAsync();
            await expose.WaitForErrorLineAsync(line => line.Contains("trying again in"));
            await using var restarted = await RelayHost.StartAsync(DataPath.Auto, $"Splicer:Port={relayPort}");
            await Patience.Until(() => connect.Error.Split('\n').Count(line => line.StartsWith("Met the expose side", StringComparison.Ordinal)) >= 2,
                "connect to meet the expose side again");

            var after = await EchoAsync(port, 4096);
            Assert.Equal(after.Sent, after.Received);
        }
    }

    private async Task<(ClientProcess Expose, ClientProcess Connect, int Port)> StartTunnelAsync(string url)
    {
        var code = PairingCode.Create().Text();
        var expose = ClientProcess.Start(_folder.Path, ["expose", _echo.Port.ToString(), "--code", code, "--relay", url]);
        var connect = ClientProcess.Start(_folder.Path, ["connect", code, "--listen", "0", "--relay", url]);
        var listening = await connect.WaitForErrorLineAsync(line => line.StartsWith("Listening on 127.0.0.1:", StringComparison.Ordinal));
        await connect.WaitForErrorLineAsync(line => line.StartsWith("Met the expose side", StringComparison.Ordinal));
        return (expose, connect, int.Parse(listening["Listening on 127.0.0.1:".Length..].TrimEnd('.', '\r')));
    }

    /// <summary>Sends random bytes through the tunnel, half-closes, and reads the echo to its end.</summary>
    private static async Task<(byte[] Sent, byte[] Received)> EchoAsync(int port, int length)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        var sent = RandomNumberGenerator.GetBytes(length);
        var receiving = ReadToEndAsync(socket);
        await socket.SendAsync(sent);
        socket.Shutdown(SocketShutdown.Send);
        return (sent, await receiving);
    }

    private static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        using var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await socket.ReceiveAsync(buffer)) > 0)
        {
            received.Write(buffer, 0, read);
        }

        return received.ToArray();
    }

    /// <summary>A TCP echo service on loopback: each connection gets back what it sent, then a FIN after the client's.</summary>
    private sealed class EchoService : IAsyncDisposable
    {
        private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _accepting;

        public EchoService()
        {
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen(128);
            _accepting = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    _ = EchoAsync(await _listener.AcceptAsync(_stop.Token));
                }
            }
            catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }

        private static async Task EchoAsync(Socket socket)
        {
            using (socket)
            {
                var buffer = new byte[64 * 1024];
                try
                {
                    int read;
                    while ((read = await socket.ReceiveAsync(buffer)) > 0)
                    {
                        await socket.SendAsync(buffer.AsMemory(0, read));
                    }

                    socket.Shutdown(SocketShutdown.Send);
                }
                catch (SocketException)
                {
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Dispose();
            await _accepting;
            _stop.Dispose();
        }
    }
}
