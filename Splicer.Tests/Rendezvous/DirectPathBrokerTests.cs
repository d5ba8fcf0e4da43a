using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Splicer.Handshake;
using Splicer.Rendezvous.Direct;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Rendezvous;

/// <summary>The broker for direct paths (docs/protocols.md, "Direct paths"), over real sockets and a real relay in <c>Doors</c> mode.</summary>
public sealed class DirectPathBrokerTests : IAsyncLifetime
{
    private DoorsRelay _relay = null!;
    private Member _alice = null!;
    private Member _bob = null!;

    public async Task InitializeAsync()
    {
        _relay = await DoorsRelay.StartAsync();
        var door = await _relay.OpenInviteDoorAsync();
        _alice = await _relay.EnrollAsync(door, "alice");
        _bob = await _relay.EnrollAsync(door, "bob");
    }

    public Task DisposeAsync() => _relay.DisposeAsync().AsTask();

    [Fact]
    public async Task When_both_sides_ask_each_hears_the_endpoint_the_relay_sees_of_the_other_and_what_it_announced()
    {
        var token = Pairing.NewToken();
        using var a = await AskAsync(token, _alice, extra => $"punch={extra}");
        await Patience.Until(() => _relay.Host.Services.WaitingConnections() > 0, "alice to wait");
        using var b = await AskAsync(token, _bob, _ => "punch");

        var toA = Advice(await a.ReadLineAsync());
        var toB = Advice(await b.ReadLineAsync());

        Assert.Equal([b.Socket.LocalEndPoint!.ToString()!], toA.Peer);
        Assert.Equal([a.Socket.LocalEndPoint!.ToString()!, Announced(a).ToString()], toB.Peer);
        Assert.True(toA.Wait >= 0 && toB.Wait >= 0, "waits are never negative");
        await a.SendAsync("after the advice, the partner's bytes");
        Assert.Equal("after the advice, the partner's bytes", Encoding.ASCII.GetString(await b.ReadExactlyAsync(37)));
    }

    [Fact]
    public async Task A_side_that_did_not_ask_hears_the_plain_paired_line_and_so_does_its_partner()
    {
        var token = Pairing.NewToken();
        using var a = await AskAsync(token, _alice, _ => "punch");
        await Patience.Until(() => _relay.Host.Services.WaitingConnections() > 0, "alice to wait");
        using var b = await AskAsync(token, _bob, _ => null);

        Assert.Equal("paired\n", await a.ReadLineAsync());
        Assert.Equal("paired\n", await b.ReadLineAsync());
    }

    [Fact]
    public async Task Punch_endpoints_that_cannot_be_read_are_refused_malformed()
    {
        using var client = await AskAsync(Pairing.NewToken(), _alice, _ => "punch=192.0.2.7", admitted: false);

        Assert.StartsWith("refused malformed the punch field's endpoints cannot be read", await client.ReadLineAsync());
    }

    [Fact]
    public async Task Brokered_pairs_are_counted_with_what_each_side_s_network_did()
    {
        var counters = _relay.Host.Services.GetRequiredService<PunchCounters>();
        var (a, b) = await PairWhereAliceAnnouncesHerOwnEndpointAsync();
        using var _ = a;
        using var __ = b;
        var toA = Advice(await a.ReadLineAsync());

        Assert.Equal(1, counters.Pairs("ipv4"));
        Assert.Equal((1, 1), (counters.Sides(NatBehaviour.None), counters.Sides(NatBehaviour.Unknown)));
        var toB = Advice(await b.ReadLineAsync());
        Assert.Equal(("none", "unknown"), (toA.Nat, toA.PeerNat)); // each side hears its own class, then its partner's
        Assert.Equal(("unknown", "none"), (toB.Nat, toB.PeerNat));
    }

    [Fact]
    public async Task Each_side_reports_its_outcome_once_with_its_ticket_and_unknown_tickets_count_nothing()
    {
        var counters = _relay.Host.Services.GetRequiredService<PunchCounters>();
        var (a, b) = await PairWhereAliceAnnouncesHerOwnEndpointAsync();
        using var _ = a;
        using var __ = b;
        var ticketA = Advice(await a.ReadLineAsync()).Ticket;
        var ticketB = Advice(await b.ReadLineAsync()).Ticket;

        Assert.Equal("ok\n", await ReportAsync(ticketA, "direct"));
        Assert.Equal("ok\n", await ReportAsync(ticketA, "direct"));
        Assert.Equal("ok\n", await ReportAsync(ticketB, "relayed"));
        Assert.Equal("ok\n", await ReportAsync("0123456789abcdef", "direct"));

        Assert.Equal(1, counters.Results(PunchOutcome.Direct, NatBehaviour.None));
        Assert.Equal(1, counters.Results(PunchOutcome.Relayed, NatBehaviour.Unknown));
        Assert.Equal(1, counters.Results(PunchOutcome.Direct));
        var totals = _relay.Host.Services.GetRequiredService<Splicer.Admin.IRelayMonitor>().Totals();
        Assert.Equal((1, 1), (totals.DirectPaths, totals.RelayedPaths));
    }

    [Theory]
    [InlineData(AddressFamily.InterNetwork, AddressFamily.InterNetwork, "ipv4")]
    [InlineData(AddressFamily.InterNetworkV6, AddressFamily.InterNetworkV6, "ipv6")]
    [InlineData(AddressFamily.InterNetwork, AddressFamily.InterNetworkV6, "mixed")]
    [InlineData(AddressFamily.InterNetworkV6, AddressFamily.InterNetwork, "mixed")]
    public void A_pair_is_counted_under_the_family_both_sides_came_over(AddressFamily a, AddressFamily b, string family)
    {
        var counters = new PunchCounters();

        counters.CountPair(a, b, NatBehaviour.None, NatBehaviour.None);

        Assert.Equal(
            PunchCounters.Families.Select(name => name == family ? 1L : 0L),
            PunchCounters.Families.Select(counters.Pairs));
    }

    [Theory]
    [InlineData(10, 10, 0, 0)]
    [InlineData(10, 30, 10, 0)]
    [InlineData(80, 20, 0, 30)]
    public void Each_side_waits_half_the_difference_to_the_slower_round_trip(int rttA, int rttB, int waitA, int waitB) =>
        Assert.Equal(
            (TimeSpan.FromMilliseconds(waitA), TimeSpan.FromMilliseconds(waitB)),
            DirectPathBroker.Waits(TimeSpan.FromMilliseconds(rttA), TimeSpan.FromMilliseconds(rttB)));

    [Fact]
    public void An_unknown_round_trip_means_no_wait() =>
        Assert.Equal((TimeSpan.Zero, TimeSpan.Zero), DirectPathBroker.Waits(null, TimeSpan.FromMilliseconds(50)));

    [Theory]
    [InlineData("198.51.100.7:40000", "", NatBehaviour.Unknown)]
    [InlineData("198.51.100.7:40000", "198.51.100.7:40000", NatBehaviour.None)]
    [InlineData("198.51.100.7:40000", "192.0.2.10:40000", NatBehaviour.PortPreserving)]
    [InlineData("198.51.100.7:51234", "192.0.2.10:40000", NatBehaviour.PortChanging)]
    public void A_side_s_network_is_told_by_comparing_what_the_relay_sees_with_what_it_announced(string observed, string announced, NatBehaviour expected) =>
        Assert.Equal(expected, NatBehaviours.Classify(
            IPEndPoint.Parse(observed),
            announced.Length == 0 ? [] : [IPEndPoint.Parse(announced)]));

    /// <summary>A made-up second endpoint a client announces (a port its router mapped, say).</summary>
    private static IPEndPoint Announced(TestClient client) => new(IPAddress.Parse("203.0.113.9"), ((IPEndPoint)client.Socket.LocalEndPoint!).Port);

    private async Task<TestClient> AskAsync(string token, Member member, Func<IPEndPoint, string?> punch, bool announceOwn = false, bool admitted = true)
    {
        var client = await TestClient.ConnectAsync(_relay.EndPoint);
        var field = announceOwn ? "punch=" + client.Socket.LocalEndPoint : punch(Announced(client));
        var line = DoorsRelay.RelayLine(token, Pairing.NewSide(), member.Credential, member.Device);
        await client.SendAsync(field is null ? line : line[..^1] + " " + field + "\n");
        if (admitted)
        {
            Assert.StartsWith("ok expires=", await client.ReadLineAsync());
        }

        return client;
    }

    private async Task<(TestClient Alice, TestClient Bob)> PairWhereAliceAnnouncesHerOwnEndpointAsync()
    {
        var token = Pairing.NewToken();
        var alice = await AskAsync(token, _alice, _ => null, announceOwn: true);
        await Patience.Until(() => _relay.Host.Services.WaitingConnections() > 0, "alice to wait");
        return (alice, await AskAsync(token, _bob, _ => "punch"));
    }

    private async Task<string> ReportAsync(string ticket, string outcome)
    {
        var (client, answer) = await _relay.SendAsync($"splicer 1 punched {ticket} {outcome}\n");
        using (client)
        {
            Assert.Equal(Closure.Fin, await client.WaitClosedAsync());
        }

        return answer;
    }

    private static (string[] Peer, long Wait, string Ticket, string Nat, string PeerNat) Advice(string line)
    {
        var fields = line.TrimEnd('\n').Split(' ');
        Assert.Equal(6, fields.Length);
        Assert.Equal("paired", fields[0]);
        Assert.StartsWith("peer=", fields[1]);
        Assert.StartsWith("wait=", fields[2]);
        Assert.Matches("^report=[0-9a-f]{16}$", fields[3]);
        Assert.StartsWith("nat=", fields[4]);
        Assert.StartsWith("peer-nat=", fields[5]);
        return (fields[1]["peer=".Length..].Split(','), long.Parse(fields[2]["wait=".Length..]), fields[3]["report=".Length..],
            fields[4]["nat=".Length..], fields[5]["peer-nat=".Length..]);
    }
}
