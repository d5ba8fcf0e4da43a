using Splicer.Accounting;
using Splicer.Endings;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Relay;

public abstract partial class RelayContractTests
{
    [RequiresFact]
    public async Task Connections_beyond_the_total_limit_are_refused_and_recorded()
    {
        await using var relay = await StartRelayAsync("Splicer:MaxConnections=2");
        using var one = await TestClient.ConnectAsync(relay.EndPoint);
        using var two = await TestClient.ConnectAsync(relay.EndPoint);
        await Patience.Until(() => relay.Services.OpenConnections() == 2, "two admitted connections");

        Assert.Equal(Refusal.RelayFull.Text, await ReadRefusalAsync(relay, "relay_full"));
        Assert.Contains("MaxConnections", (await relay.Records.WaitForAsync(Outcome.Refused)).Detail);
    }

    [RequiresFact]
    public async Task Connections_beyond_the_per_address_limit_are_refused_and_recorded()
    {
        await using var relay = await StartRelayAsync("Splicer:MaxConnectionsPerIp=2");
        using var one = await TestClient.ConnectAsync(relay.EndPoint);
        using var two = await TestClient.ConnectAsync(relay.EndPoint);
        await Patience.Until(() => relay.Services.OpenConnections() == 2, "two admitted connections");

        Assert.Equal(Refusal.SourceFull.Text, await ReadRefusalAsync(relay, "source_full"));
        Assert.Contains("MaxConnectionsPerIp", (await relay.Records.WaitForAsync(Outcome.Refused)).Detail);
    }

    /// <summary>Connects, reads the refusal line and the FIN after it; returns the line's text after its word.</summary>
    private static async Task<string> ReadRefusalAsync(RelayHost relay, string word)
    {
        using var client = await TestClient.ConnectAsync(relay.EndPoint);
        var line = await client.ReadLineAsync();
        Assert.StartsWith($"refused {word} ", line);
        Assert.Equal(Closure.Fin, await client.WaitClosedAsync());
        return line[$"refused {word} ".Length..^1];
    }

    [RequiresFact]
    public async Task A_closed_connection_frees_its_place_under_the_limits()
    {
        await using var relay = await StartRelayAsync("Splicer:MaxConnections=1");
        var first = await TestClient.ConnectAsync(relay.EndPoint);
        await Patience.Until(() => relay.Services.OpenConnections() == 1, "the first connection to be admitted");
        first.Dispose();
        await Patience.Until(() => relay.Services.OpenConnections() == 0, "the first connection to be released");

        using var second = await TestClient.ConnectAsync(relay.EndPoint);
        await second.SendAsync("nonsense\n");

        Assert.Equal("bad handshake\n", await second.ReadLineAsync());
    }

    [RequiresFact]
    public async Task Waiters_beyond_the_per_token_limit_are_refused_and_recorded()
    {
        await using var relay = await StartRelayAsync("Splicer:MaxWaitingPerToken=2");
        var token = Pairing.NewToken();
        var side = Pairing.NewSide();
        using var one = await TestClient.RequestAsync(relay.EndPoint, token, side);
        using var two = await TestClient.RequestAsync(relay.EndPoint, token, side);
        await Patience.Until(() => relay.Services.WaitingConnections() == 2, "two waiters");

        using var three = await TestClient.RequestAsync(relay.EndPoint, token, side);

        Assert.Equal($"refused token_busy {Refusal.TokenBusy.Text}\n", await three.ReadLineAsync());
        Assert.Contains("MaxWaitingPerToken", (await relay.Records.WaitForAsync(Outcome.Refused)).Detail);
        Assert.Equal(2, relay.Services.WaitingConnections());
    }
}
