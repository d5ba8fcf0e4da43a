using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Splicer.Accounting;
using Splicer.Endings;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Host;

public sealed class AccountingTests
{
    [Fact]
    public void Session_log_line_names_the_token_prefix_only_with_sides_endpoints_bytes_and_outcome()
    {
        var log = new CapturingLogger();
        var recorder = new LogSessionRecorder(log);
        var token = Pairing.NewToken();
        var record = new SessionRecord(7, token[..8], "aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb",
            new(System.Net.IPAddress.Loopback, 1111), new(System.Net.IPAddress.IPv6Loopback, 2222),
            123, 456, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(3), Ends.Happy);

        recorder.Record(record);

        var line = Assert.Single(log.Lines);
        Assert.Contains(token[..8], line);
        Assert.DoesNotContain(token[..9], line);
        foreach (var part in new[] { "happy", "aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "127.0.0.1:1111", "[::1]:2222", "123", "456", "1.500s", "3.000s" })
        {
            Assert.Contains(part, line);
        }

        Assert.Equal(token[..8], log.State!["TokenPrefix"]);
        Assert.Equal(456L, log.State["BytesBToA"]);
    }

    [Fact]
    public async Task Relayed_connections_get_the_configured_keepalive()
    {
        await using var relay = await RelayHost.StartAsync(Options.DataPath.Pipelines,
            "Splicer:KeepAlive:Idle=00:00:42", "Splicer:KeepAlive:Interval=00:00:07", "Splicer:KeepAlive:Probes=3");
        var (first, second) = await TestClient.PairAsync(relay);
        using (first)
        using (second)
        {
            var socket = relay.Sessions.Sessions.Single().A.Socket;
            Assert.Equal(1, (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)!);
            Assert.Equal(42, (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime)!);
            Assert.Equal(7, (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval)!);
            Assert.Equal(3, (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount)!);
        }
    }

    private sealed class CapturingLogger : ILogger<LogSessionRecorder>
    {
        public List<string> Lines { get; } = [];

        public Dictionary<string, object?>? State { get; private set; }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Lines.Add(formatter(state, exception));
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                State = pairs.ToDictionary(pair => pair.Key, pair => pair.Value);
            }
        }
    }
}
