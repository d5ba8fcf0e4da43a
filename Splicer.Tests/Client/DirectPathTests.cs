using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Splicer.Client.Links;
using Splicer.Client.Paths.DirectLeg;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Client;

/// <summary>
/// The punching primitive on loopback (no NAT: the NAT lab runs the same through real routers): two sides that each
/// hold a connection to a "relay" from a reusable port dial each other from that port and agree on one proven connection.
/// </summary>
public sealed class DirectPathTests : IDisposable
{
    private static readonly DirectPathOptions Quick = DirectPathOptions.Default with { Window = TimeSpan.FromSeconds(3) };
    private readonly Socket _relay = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<Socket> _sockets = [];

    public DirectPathTests()
    {
        _relay.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _relay.Listen(8);
    }

    [Fact]
    public async Task Both_sides_end_with_the_same_proven_connection_from_the_ports_they_use_toward_the_relay()
    {
        var (sendA, sendB) = (RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
        var a = await ToRelayAsync();
        var b = await ToRelayAsync();

        var results = await Task.WhenAll(
            DirectPath.EstablishAsync(Local(a), Advice(b), new DirectProof(sendA, sendB), Quick, CancellationToken.None),
            DirectPath.EstablishAsync(Local(b), Advice(a), new DirectProof(sendB, sendA), Quick, CancellationToken.None)).WithPatience();

        var (fromA, fromB) = (Connected(results[0]), Connected(results[1]));
        Assert.Equal(fromA.LocalEndPoint, a.LocalEndPoint);
        Assert.Equal(fromA.RemoteEndPoint, fromB.LocalEndPoint);
        Assert.Equal(fromB.RemoteEndPoint, fromA.LocalEndPoint);
        await fromA.SendAsync("direct"u8.ToArray());
        var received = new byte[6];
        Assert.Equal(6, await fromB.ReceiveAsync(received));
        Assert.Equal("direct"u8.ToArray(), received);
    }

    [Fact]
    public async Task A_side_one_second_late_still_meets_its_peer_within_the_window()
    {
        var (sendA, sendB) = (RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
        var a = await ToRelayAsync();
        var b = await ToRelayAsync();

        var results = await Task.WhenAll(
            DirectPath.EstablishAsync(Local(a), Advice(b), new DirectProof(sendA, sendB), Quick, CancellationToken.None),
            DirectPath.EstablishAsync(Local(b), Advice(a), new DirectProof(sendB, sendA), Quick with { ExtraDelay = TimeSpan.FromSeconds(1) }, CancellationToken.None)).WithPatience();

        Assert.All(results, result => Connected(result));
    }

    [Fact]
    public async Task A_peer_that_cannot_prove_the_session_is_never_used()
    {
        var a = await ToRelayAsync();
        var b = await ToRelayAsync();

        var results = await Task.WhenAll(
            DirectPath.EstablishAsync(Local(a), Advice(b), new DirectProof(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32)), Quick, CancellationToken.None),
            DirectPath.EstablishAsync(Local(b), Advice(a), new DirectProof(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32)), Quick, CancellationToken.None)).WithPatience();

        Assert.All(results, result => Assert.Null(result.Socket));
        Assert.Contains("did not prove", results[0].Detail);
    }

    [Fact]
    public void A_proof_sent_back_to_its_sender_does_not_pass()
    {
        var (sendA, sendB) = (RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
        var a = new DirectProof(sendA, sendB);
        var b = new DirectProof(sendB, sendA);

        Assert.NotEqual(a.IsLower, b.IsLower);
        Assert.True(b.IsPeers(a.Mine));
        Assert.True(a.IsPeers(b.Mine));
        Assert.False(a.IsPeers(a.Mine));
    }

    [Theory]
    [InlineData("paired peer=198.51.100.7:40000,[2001:db8::7]:40000 wait=12", "198.51.100.7:40000,[2001:db8::7]:40000", 12)]
    [InlineData("paired peer=198.51.100.7:40000 wait=99999", "198.51.100.7:40000", 5000)]
    public void The_broker_s_advice_is_read_from_the_paired_line(string line, string peers, int waitMilliseconds)
    {
        var advice = PunchAdvice.FromPairedLine(line)!;

        Assert.Equal(peers, string.Join(',', advice.Peer));
        Assert.Equal(TimeSpan.FromMilliseconds(waitMilliseconds), advice.Wait);
    }

    [Theory]
    [InlineData("nat=port_changing peer-nat=port_preserving", BirthdayRole.Spray)]
    [InlineData("nat=port_changing peer-nat=none", BirthdayRole.Spray)]
    [InlineData("nat=none peer-nat=port_changing", BirthdayRole.Probe)]
    [InlineData("nat=port_preserving peer-nat=port_preserving", BirthdayRole.None)]
    [InlineData("nat=port_changing peer-nat=port_changing", BirthdayRole.None)]
    [InlineData("nat=port_changing peer-nat=unknown", BirthdayRole.None)]
    [InlineData("", BirthdayRole.None)]
    public void Birthday_probing_is_for_one_port_changing_NAT_facing_one_that_keeps_ports(string classes, BirthdayRole role) =>
        Assert.Equal(role, PunchAdvice.FromPairedLine($"paired peer=198.51.100.7:40000 wait=0 report=0123456789abcdef {classes}".TrimEnd())!.Birthday);

    [Fact]
    public void The_spraying_side_dials_the_partner_s_one_endpoint_from_many_ports()
    {
        var partner = IPEndPoint.Parse("198.51.100.7:40000");

        var plan = BirthdayProbing.Plan(BirthdayRole.Spray, IPEndPoint.Parse("192.0.2.10:41000"), partner, 256);

        Assert.Equal(256, plan.Count);
        Assert.All(plan, connection => Assert.Equal((IPEndPoint.Parse("192.0.2.10:0"), partner), connection));
    }

    [Fact]
    public void The_probing_side_dials_distinct_random_ports_of_the_partner_s_address_from_its_relay_port()
    {
        var local = IPEndPoint.Parse("192.0.2.130:42000");

        var plan = BirthdayProbing.Plan(BirthdayRole.Probe, local, IPEndPoint.Parse("198.51.100.7:40000"), 1024);

        Assert.Equal(1024, plan.Select(connection => connection.Remote.Port).Distinct().Count());
        Assert.All(plan, connection =>
        {
            Assert.Equal(local, connection.Local);
            Assert.Equal(IPAddress.Parse("198.51.100.7"), connection.Remote.Address);
            Assert.InRange(connection.Remote.Port, BirthdayProbing.LowestPort, IPEndPoint.MaxPort);
            Assert.NotEqual(40000, connection.Remote.Port); // the plain punch dials that one
        });
    }

    [Fact]
    public void No_birthday_probing_across_address_families() =>
        Assert.Empty(BirthdayProbing.Plan(BirthdayRole.Probe, IPEndPoint.Parse("[2001:db8::10]:42000"), IPEndPoint.Parse("198.51.100.7:40000"), 256));

    [Theory]
    [InlineData("paired")]
    [InlineData("paired peer=198.51.100.7 wait=1")]
    [InlineData("paired peer=198.51.100.7:1 wait=-1")]
    [InlineData("paired wait=1")]
    public void A_plain_or_unreadable_paired_line_is_no_advice(string line) => Assert.Null(PunchAdvice.FromPairedLine(line));

    public void Dispose()
    {
        _sockets.ForEach(socket => socket.Dispose());
        _relay.Dispose();
    }

    private async Task<Socket> ToRelayAsync()
    {
        var socket = ReusablePort.BoundTo(new IPEndPoint(IPAddress.Loopback, 0));
        _sockets.Add(socket);
        await socket.ConnectAsync(_relay.LocalEndPoint!);
        _sockets.Add(await _relay.AcceptAsync());
        return socket;
    }

    private static IPEndPoint Local(Socket socket) => (IPEndPoint)socket.LocalEndPoint!;

    private static PunchAdvice Advice(Socket peer) => new([Local(peer)], TimeSpan.Zero);

    private Socket Connected(DirectResult result)
    {
        Assert.True(result.Socket is not null, result.Detail);
        _sockets.Add(result.Socket);
        return result.Socket;
    }
}
