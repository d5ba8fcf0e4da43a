using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Splicer.Accept;
using Splicer.Endings;
using Splicer.Handshake;
using Splicer.Options;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Accept;

/// <summary>Every refusal is a line the client can read before the close, and every connection is recorded once.</summary>
public sealed class RefusalTests
{
    [Fact]
    public async Task A_source_opening_connections_faster_than_its_rate_is_refused_with_source_rate()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto,
            "Splicer:SourceRate:Burst=3", "Splicer:SourceRate:PerSecond=1");

        // Ten at once against a burst of three and one a second: the admitted ones read wormhole's
        // answer to nonsense, the rest the refusal.
        var clients = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => TestClient.ConnectAsync(relay.EndPoint)));
        var lines = await Task.WhenAll(clients.Select(async client =>
        {
            using (client)
            {
                await SendIgnoringResetAsync(client, "nonsense\n");
                return await client.ReadLineAsync();
            }
        }));

        Assert.All(lines, line => Assert.Contains(line, new[] { "bad handshake\n", $"refused source_rate {Refusal.SourceRate.Text}\n" }));
        Assert.InRange(lines.Count(line => line.StartsWith("refused")), 1, 7);
        Assert.Contains("Splicer:SourceRate", (await relay.Records.WaitForAsync(Outcome.Refused)).Detail);
    }

    /// <summary>A refused client may find its connection closed before it sends; what it then reads is what counts.</summary>
    private static async Task SendIgnoringResetAsync(TestClient client, string text)
    {
        try
        {
            await client.SendAsync(text);
        }
        catch (SocketException)
        {
        }
    }

    [Fact]
    public async Task A_client_still_waiting_when_the_relay_stops_is_told_it_is_draining()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto);
        using var waiting = await TestClient.RequestAsync(relay.EndPoint, Pairing.NewToken(), Pairing.NewSide());
        await Patience.Until(() => relay.Services.WaitingConnections() == 1, "the client to wait");

        var stopping = relay.StopAsync();

        Assert.Equal($"refused draining {Refusal.Draining.Text}\n", await waiting.ReadLineAsync());
        Assert.Equal(Closure.Fin, await waiting.WaitClosedAsync());
        await stopping.WithPatience();
    }

    [Fact]
    public async Task Three_hundred_simultaneous_pairs_from_one_address_pair_with_the_default_limits()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto);

        var pairs = await Task.WhenAll(Enumerable.Range(0, 300).Select(_ => Task.Run(() => TestClient.PairAsync(relay.EndPoint))));
        try
        {
            await Patience.Until(() => relay.Sessions.Count == 300, "300 sessions");
            Assert.DoesNotContain(relay.Records.Records, record => record.Outcome == Outcome.Refused);
        }
        finally
        {
            foreach (var pair in pairs)
            {
                pair.Dispose();
            }
        }
    }

    [Fact]
    public async Task An_unexpected_exception_in_a_stage_resets_the_connection_and_records_it_once()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto,
            services => services.AddSingleton<IPairingStage, FailingPairingStage>());
        using var client = await TestClient.RequestAsync(relay.EndPoint, Pairing.NewToken(), Pairing.NewSide());

        Assert.Equal(Closure.Reset, await client.WaitClosedAsync());
        var record = await relay.Records.WaitForAsync(Outcome.Errory);
        Assert.Equal("relay error: InvalidOperationException", record.Detail);
        Assert.Single(relay.Records.Records, r => r.Id == record.Id);
    }

    [Fact]
    public async Task Every_accepted_connection_is_recorded_exactly_once_however_it_ends()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto, "Splicer:MaxWaitingPerToken=1");
        var token = Pairing.NewToken();
        var side = Pairing.NewSide();
        using (var pair = await TestClient.PairAsync(relay))
        using (var bad = await TestClient.ConnectAsync(relay.EndPoint))
        using (var waiter = await TestClient.RequestAsync(relay.EndPoint, token, side))
        {
            await bad.SendAsync("not a handshake\n");
            Assert.Equal("bad handshake\n", await bad.ReadLineAsync());
            await Patience.Until(() => relay.Services.WaitingConnections() == 1, "the waiter");
            using var busy = await TestClient.RequestAsync(relay.EndPoint, token, side);
            Assert.StartsWith("refused token_busy ", await busy.ReadLineAsync());
        }

        // Six connections: a pair (one record), a bad handshake, a waiter that left, a refused one.
        await Patience.Until(() => relay.Services.OpenConnections() == 0, "every connection to close");
        var records = await relay.Records.WaitForCountAsync(_ => true, 4);
        Assert.Equal(records.Count, records.Select(record => record.Id).Distinct().Count());
        Assert.Equal(5, records.Sum(record => record.WasPaired ? 2 : 1));
        Assert.Equal(relay.Records.Records.Count, records.Count);
    }

    private sealed class FailingPairingStage : IPairingStage
    {
        public Task JoinAsync(RelayConnection connection, PairingRequest request, CancellationToken stopping) =>
            throw new InvalidOperationException("injected");
    }
}
