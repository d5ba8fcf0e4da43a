using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Host;

/// <summary>
/// A stranger's flood past the open-files limit (the relay under <c>prlimit --nofile=1000</c>): the relay
/// lives, its memory stays put, the admin answers (<c>/readyz</c> 503 while full), running pairs keep
/// flowing byte-exact, and a new pair works once the flood is gone. Once per data path.
/// </summary>
public sealed class DescriptorFloodTests
{
    private const string AdminToken = "flood-test-admin-token-0123456789";
    private const int FloodConnections = 1500;
    private const int FloodSources = 50;
    private const int FloodSeconds = 20;
    private const int RunningPairs = 3;

    [Theory]
    [InlineData("Auto")]
    [InlineData("Pipelines")]
    public async Task A_flood_past_the_fd_limit_keeps_the_relay_its_memory_its_admin_and_its_running_pairs(string dataPath)
    {
        var port = FreePort.Next();
        var adminPort = FreePort.Next();
        var (program, arguments) = SplicerProgram.Command(
            [$"--Splicer:Port={port}", "--Splicer:Address=127.0.0.1", $"--Admin:Url=http://127.0.0.1:{adminPort}",
                $"--Admin:BearerToken={AdminToken}", $"--Splicer:DataPath={dataPath}"]);
        await using var splicer = ExternalProcess.Start("prlimit", ["--nofile=1000:1000", program, .. arguments]);
        await ExternalProcess.WaitForPortAsync(port);
        await splicer.WaitForLineAsync(line => line.Contains("Application started"));
        var relay = new IPEndPoint(IPAddress.Loopback, port);
        using var admin = AdminClient(adminPort);

        var pairs = new List<FlowingPair>();
        for (var i = 0; i < RunningPairs; i++)
        {
            pairs.Add(FlowingPair.Start(await TestClient.PairAsync(relay)));
        }

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/sessions")).StatusCode);
        await Patience.Until(() => pairs.All(pair => pair.Received > 0), "the running pairs to flow");
        var residentBefore = splicer.ResidentMegabytes;

        var flood = await FloodAsync(relay);
        try
        {
            var receivedAtStart = pairs.Select(pair => pair.Received).ToArray();
            var readiness = new List<HttpStatusCode>();
            var reasons = new HashSet<string>();
            using var everySecond = new PeriodicTimer(TimeSpan.FromSeconds(1));
            for (var second = 0; second < FloodSeconds && await everySecond.WaitForNextTickAsync(); second++)
            {
                using var ready = await admin.GetAsync("/readyz");
                readiness.Add(ready.StatusCode);
                reasons.Add(await ready.Content.ReadAsStringAsync());
                Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/sessions")).StatusCode);
                Assert.InRange(splicer.ResidentMegabytes, 1, residentBefore + 64);
            }

            Assert.All(readiness, status => Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
            Assert.Contains(HttpStatusCode.ServiceUnavailable, readiness);
            Assert.Contains(reasons, reason => reason.StartsWith("Unhealthy: full: "));
            Assert.All(pairs.Zip(receivedAtStart), flowed => Assert.True(flowed.First.Received > flowed.Second,
                $"a running pair moved nothing during the flood ({flowed.Second} bytes before it)"));
            Assert.All(pairs, pair => Assert.Null(pair.Fault));
        }
        finally
        {
            foreach (var client in flood)
            {
                client.Dispose();
            }
        }

        var receivedAfterFlood = pairs.Select(pair => pair.Received).ToArray();
        await Patience.Until(() => pairs.Zip(receivedAfterFlood).All(flowed => flowed.First.Received > flowed.Second), "the pairs to go on flowing after the flood");
        foreach (var pair in pairs)
        {
            var (sent, received) = await pair.StopAsync();
            Assert.Equal(sent, received);
            pair.Dispose();
        }

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/readyz")).StatusCode);
        using var fresh = await TestClient.PairAsync(relay);
        await fresh.A.SendAsync("after the flood");
        Assert.Equal("after the flood"u8.ToArray(), await fresh.B.ReadExactlyAsync(15));
        Assert.DoesNotContain("Unhandled exception", splicer.Output);
        Assert.DoesNotContain("Out of memory", splicer.Output);
    }

    /// <summary>Connects <see cref="FloodConnections"/> clients from <see cref="FloodSources"/> loopback addresses and holds them; they send nothing.</summary>
    private static async Task<List<TestClient>> FloodAsync(IPEndPoint relay)
    {
        var perSource = FloodConnections / FloodSources;
        var sources = await Task.WhenAll(Enumerable.Range(0, FloodSources).Select(async source =>
        {
            var from = IPAddress.Parse($"127.0.1.{source + 1}");
            var clients = new List<TestClient>();
            for (var i = 0; i < perSource; i++)
            {
                clients.Add(await TestClient.ConnectAsync(relay, from));
            }

            return clients;
        }));
        return [.. sources.SelectMany(clients => clients)];
    }

    private static HttpClient AdminClient(int port)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = Patience.Long };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return http;
    }

    /// <summary>
    /// A pair whose A side sends a known pattern, 64 KiB every 10 ms, and whose B side checks every byte
    /// as it arrives; so any loss, reordering or stall shows.
    /// </summary>
    private sealed class FlowingPair : IDisposable
    {
        private const int Chunk = 64 * 1024;
        private static readonly byte[] Pattern = [.. Enumerable.Range(0, Chunk + 251).Select(i => (byte)(i % 251))];

        private readonly ClientPair _pair;
        private readonly CancellationTokenSource _stop = new();
        private Task<long> _sending = Task.FromResult(0L);
        private Task _receiving = Task.CompletedTask;
        private long _received;

        private FlowingPair(ClientPair pair) => _pair = pair;

        public long Received => Interlocked.Read(ref _received);

        public string? Fault { get; private set; }

        public static FlowingPair Start(ClientPair pair)
        {
            var flowing = new FlowingPair(pair);
            flowing._sending = flowing.SendAsync();
            flowing._receiving = flowing.ReceiveAsync();
            return flowing;
        }

        public async Task<(long Sent, long Received)> StopAsync()
        {
            await _stop.CancelAsync();
            var sent = await _sending.WithPatience();
            _pair.A.ShutdownSend();
            await _receiving.WithPatience();
            return (sent, Received);
        }

        public void Dispose()
        {
            _pair.Dispose();
            _stop.Dispose();
        }

        private async Task<long> SendAsync()
        {
            long sent = 0;
            using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
            try
            {
                while (await pace.WaitForNextTickAsync(_stop.Token))
                {
                    var offset = (int)(sent % 251);
                    // Not cancellable: a send cut half-way would leave the count unsure.
                    await _pair.A.Socket.SendAsync(Pattern.AsMemory(offset, Chunk), SocketFlags.None);
                    sent += Chunk;
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped; a send cut by the stop may have gone out whole or not at all, the count says which.
            }

            return sent;
        }

        private async Task ReceiveAsync()
        {
            var buffer = new byte[Chunk];
            while (true)
            {
                var read = await _pair.B.Socket.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    return;
                }

                var offset = (int)(Received % 251);
                if (!buffer.AsSpan(0, read).SequenceEqual(Pattern.AsSpan(offset, read)))
                {
                    Fault ??= $"bytes differ after {Received} bytes";
                }

                Interlocked.Add(ref _received, read);
            }
        }
    }
}
