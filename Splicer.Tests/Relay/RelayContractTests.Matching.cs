using System.Net.Sockets;
using Splicer.Accounting;
using Splicer.Endings;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Relay;

public abstract partial class RelayContractTests
{
    [RequiresFact]
    public async Task Unsided_connection_pairs_with_a_sided_one()
    {
        await using var relay = await StartRelayAsync();
        var token = Pairing.NewToken();
        using var sided = await TestClient.RequestAsync(relay.EndPoint, token, Pairing.NewSide());
        using var unsided = await TestClient.RequestAsync(relay.EndPoint, token, side: null);

        Assert.Equal("ok\n", await sided.ReadLineAsync());
        Assert.Equal("ok\n", await unsided.ReadLineAsync());
    }

    [RequiresFact]
    public async Task Same_side_waits_and_the_match_closes_every_other_waiter_as_redundant()
    {
        await using var relay = await StartRelayAsync();
        var token = Pairing.NewToken();
        var side = Pairing.NewSide();
        // The longest waiter wins, by accept time: the first is waiting before its twin even connects.
        using var first = await TestClient.RequestAsync(relay.EndPoint, token, side);
        await Patience.Until(() => relay.Services.WaitingConnections() == 1, "the first client to wait");
        using var twin = await TestClient.RequestAsync(relay.EndPoint, token, side);
        await Patience.Until(() => relay.Services.WaitingConnections() == 2, "both same-side clients to wait");

        using var partner = await TestClient.RequestAsync(relay.EndPoint, token, Pairing.NewSide());

        Assert.Equal("ok\n", await first.ReadLineAsync());
        Assert.Equal("ok\n", await partner.ReadLineAsync());
        Assert.Equal(string.Empty, await twin.ReadLineAsync());
        await relay.Records.WaitForAsync(Outcome.Redundant);
        Assert.Equal(0, relay.Services.WaitingConnections());
    }

    /// <summary>
    /// A graceful ending without a reply line (here <c>Redundant</c>) shuts the send side before the socket is
    /// disposed: while the partner's thread still held the handle, .NET's close turned into a reset 1 to 6 %
    /// of the time. Hundreds of rounds in one process, so the race had its chances.
    /// </summary>
    [RequiresFact]
    public async Task A_dismissed_waiter_is_closed_with_a_fin_never_a_reset_in_300_rounds()
    {
        await using var relay = await StartRelayAsync();
        var resets = 0;
        for (var round = 0; round < 300; round++)
        {
            var token = Pairing.NewToken();
            var side = Pairing.NewSide();
            using var first = await TestClient.RequestAsync(relay.EndPoint, token, side);
            using var twin = await TestClient.RequestAsync(relay.EndPoint, token, side);
            await Patience.Until(() => relay.Services.WaitingConnections() == 2, "both same-side clients to wait");
            using var partner = await TestClient.RequestAsync(relay.EndPoint, token, Pairing.NewSide());

            Assert.Equal("ok\n", await partner.ReadLineAsync());
            resets += await twin.WaitClosedAsync() == Closure.Reset ? 1 : 0;
        }

        Assert.Equal(0, resets);
        await relay.Records.WaitForCountAsync(record => record.Outcome == Outcome.Redundant, 300);
    }

    [RequiresFact]
    public async Task Different_tokens_do_not_pair()
    {
        await using var relay = await StartRelayAsync("Splicer:PairingTimeout=00:00:00.300");
        using var first = await TestClient.RequestAsync(relay.EndPoint, Pairing.NewToken(), Pairing.NewSide());
        using var second = await TestClient.RequestAsync(relay.EndPoint, Pairing.NewToken(), Pairing.NewSide());

        Assert.Equal(string.Empty, await first.ReadLineAsync());
        Assert.Equal(string.Empty, await second.ReadLineAsync());
        var lonely = await relay.Records.WaitForCountAsync(r => r.Outcome == Outcome.Lonely, 2);
        Assert.All(lonely, record => Assert.False(record.WasPaired));
    }

    [RequiresFact]
    public async Task A_token_pairs_once()
    {
        await using var relay = await StartRelayAsync("Splicer:PairingTimeout=00:00:02");
        var token = Pairing.NewToken();
        var (first, second) = await TestClient.PairAsync(relay, token);
        using (first)
        using (second)
        using (var late = await TestClient.RequestAsync(relay.EndPoint, token, Pairing.NewSide()))
        {
            Assert.Equal(string.Empty, await late.ReadLineAsync());
            await relay.Records.WaitForAsync(Outcome.Lonely);
        }
    }

    [RequiresFact]
    public async Task IPv6_clients_are_served_and_pair_with_IPv4_clients()
    {
        await using var relay = await StartRelayAsync();
        var token = Pairing.NewToken();
        using var overV6 = await TestClient.RequestAsync(relay.EndPointV6, token, Pairing.NewSide());
        using var overV4 = await TestClient.RequestAsync(relay.EndPoint, token, Pairing.NewSide());

        Assert.Equal("ok\n", await overV6.ReadLineAsync());
        Assert.Equal("ok\n", await overV4.ReadLineAsync());
        await overV6.SendAsync("six");
        Assert.Equal("six"u8.ToArray(), await overV4.ReadExactlyAsync(3));
        Assert.Equal(AddressFamily.InterNetworkV6, overV6.Socket.RemoteEndPoint!.AddressFamily);
    }

    [RequiresFact]
    public async Task Client_that_leaves_while_waiting_is_lonely_and_leaves_the_table()
    {
        await using var relay = await StartRelayAsync();
        var client = await TestClient.RequestAsync(relay.EndPoint, Pairing.NewToken(), Pairing.NewSide());
        await Patience.Until(() => relay.Services.WaitingConnections() == 1, "the client to wait");

        client.Dispose();

        Assert.Equal("left before a partner came", (await relay.Records.WaitForAsync(Outcome.Lonely)).Detail);
        Assert.Equal(0, relay.Services.WaitingConnections());
        await Patience.Until(() => relay.Services.OpenConnections() == 0, "the connection to be released");
    }
}
