using System.Net;
using System.Net.Sockets;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Admin;

public sealed class MetricsTests
{
    private const int AToBBytes = 3 * 1024 * 1024 + 17;
    private const int BToABytes = 1024 * 1024 + 5;

    [Fact]
    public async Task Relayed_bytes_are_counted_exactly_while_running_and_after_the_session_ended()
    {
        await using var host = await AdminEndpoints.StartAsync();
        using var http = host.CreateAdminClient();
        using var timeout = new CancellationTokenSource(Patience.Long);
        using var pair = await TestClient.PairAsync(host);

        await Task.WhenAll(
            SendAsync(pair.A.Socket, AToBBytes, timeout.Token),
            ReceiveAsync(pair.B.Socket, AToBBytes, timeout.Token),
            SendAsync(pair.B.Socket, BToABytes, timeout.Token),
            ReceiveAsync(pair.A.Socket, BToABytes, timeout.Token));

        // Live: the running session's own counters.
        await ExpectMetricAsync(http, "splicer_relayed_bytes_total{direction=\"a_to_b\"}", AToBBytes);
        await ExpectMetricAsync(http, "splicer_relayed_bytes_total{direction=\"b_to_a\"}", BToABytes);
        await ExpectMetricAsync(http, "splicer_sessions_active", 1);

        pair.A.ShutdownSend();
        pair.B.ShutdownSend();
        await pair.BothClosedAsync();

        // Ended: the same figures, now from the session's record.
        await ExpectMetricAsync(http, "splicer_sessions_ended_total{outcome=\"happy\"}", 1);
        var metrics = await http.GetStringAsync("metrics");
        Assert.Equal(AToBBytes, PrometheusText.Value(metrics, "splicer_relayed_bytes_total{direction=\"a_to_b\"}"));
        Assert.Equal(BToABytes, PrometheusText.Value(metrics, "splicer_relayed_bytes_total{direction=\"b_to_a\"}"));
        Assert.Equal(AToBBytes + BToABytes, PrometheusText.Value(metrics, "splicer_session_size_bytes_sum"));
        Assert.Equal(1, PrometheusText.Value(metrics, "splicer_session_duration_seconds_count"));
        Assert.Equal(1, PrometheusText.Value(metrics, "splicer_pairing_wait_seconds_count"));
        Assert.Equal(2, PrometheusText.Value(metrics, "splicer_connections_accepted_total"));
        Assert.Equal(2, PrometheusText.Value(metrics, "splicer_handshakes_total{result=\"ok\"}"));
        Assert.Equal(1, PrometheusText.Value(metrics, "splicer_sessions_started_total"));
        Assert.Equal(0, PrometheusText.Value(metrics, "splicer_sessions_active"));
    }

    [Fact]
    public async Task Handshake_results_and_waiting_tokens_are_counted()
    {
        await using var host = await AdminEndpoints.StartAsync("Splicer:MaxWaitingPerToken=1");
        using var http = host.CreateAdminClient();

        using var bad = await RequestAsync(host, "please relay nonsense!\n");
        await bad.WaitClosedAsync();
        await ExpectMetricAsync(http, "splicer_handshakes_total{result=\"bad\"}", 1);

        var token = new string('a', 64);
        using var waiting = await RequestAsync(host, $"please relay {token} for side 0000000000000001\n");
        await ExpectMetricAsync(http, "splicer_tokens_waiting", 1);
        await ExpectMetricAsync(http, "splicer_connections_waiting", 1);

        using var sameSide = await RequestAsync(host, $"please relay {token} for side 0000000000000001\n");
        await sameSide.WaitClosedAsync();
        await ExpectMetricAsync(http, "splicer_handshakes_total{result=\"refused\"}", 1);

        await waiting.SendAsync("too early");
        await waiting.WaitClosedAsync();
        await ExpectMetricAsync(http, "splicer_handshakes_total{result=\"impatient\"}", 1);
        await ExpectMetricAsync(http, "splicer_tokens_waiting", 0);
        await ExpectMetricAsync(http, "splicer_connections_ended_total{outcome=\"errory\"}", 2);
        await ExpectMetricAsync(http, "splicer_handshakes_total{result=\"ok\"}", 2);
    }

    [Fact]
    public async Task Process_and_runtime_metrics_are_exported_too()
    {
        await using var host = await AdminEndpoints.StartAsync();
        using var http = host.CreateAdminClient();

        var metrics = await http.GetStringAsync("metrics");

        Assert.NotNull(PrometheusText.Value(metrics, "process_cpu_seconds_total"));
        Assert.Contains("dotnet_collection_count_total", metrics);
    }

    [Fact]
    public async Task Metrics_can_be_switched_off()
    {
        await using var host = await AdminEndpoints.StartAsync("Admin:Metrics:Enabled=false");
        using var http = host.CreateAdminClient();

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("api/stats")).StatusCode);
    }

    private static async Task ExpectMetricAsync(HttpClient http, string series, double expected)
    {
        double? last = null;
        await Patience.UntilAsync(async () =>
        {
            last = PrometheusText.Value(await http.GetStringAsync("metrics"), series);
            return last == expected;
        }, $"{series} is {expected} (last seen {last?.ToString() ?? "absent"})");
    }

    private static async Task<TestClient> RequestAsync(RelayHost host, string handshake)
    {
        var client = await TestClient.ConnectAsync(host.EndPoint);
        await client.SendAsync(handshake);
        return client;
    }

    private static async Task SendAsync(Socket socket, int count, CancellationToken cancellationToken)
    {
        var chunk = new byte[64 * 1024];
        Random.Shared.NextBytes(chunk);
        for (var sent = 0; sent < count;)
        {
            sent += await socket.SendAsync(chunk.AsMemory(0, Math.Min(chunk.Length, count - sent)), SocketFlags.None, cancellationToken);
        }
    }

    private static async Task ReceiveAsync(Socket socket, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        for (var received = 0; received < count;)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(0, Math.Min(buffer.Length, count - received)), SocketFlags.None, cancellationToken);
            Assert.True(n > 0, $"closed after {received} of {count} bytes");
            received += n;
        }
    }
}
