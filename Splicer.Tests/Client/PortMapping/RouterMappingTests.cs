using System.Net;
using System.Net.Sockets;
using System.Text;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Client.PortMapping;

/// <summary>
/// <c>splicer map</c> in a LAN behind a real router (miniupnpd, nftables masquerade): each protocol maps a port that a
/// host on the WAN side then reaches (over IPv6 too, where PCP opens a pinhole), and Ctrl+C removes the mapping from the
/// router. Without --protocol, PCP wins.
/// </summary>
[Requires(Prerequisite.Root)]
public sealed class RouterMappingTests(RouterLab lab) : IClassFixture<RouterLab>
{
    [RequiresTheory(ProgramsInstalledOnCi = ["miniupnpd", "nft"])]
    [InlineData("pcp", "PCP", 20001, "198.51.100.1")]
    [InlineData("nat-pmp", "NAT-PMP", 20002, "198.51.100.1")]
    [InlineData("upnp", "UPnP-IGD", 20003, "198.51.100.1")]
    [InlineData(null, "PCP", 20005, "198.51.100.1")]
    [InlineData("pcp --gateway 2001:db8:1::1", "PCP", 20007, "2001:db8:1::2")]
    public async Task Each_protocol_maps_a_port_the_WAN_reaches_and_Ctrl_C_removes_it(string? protocol, string shown, int localPort, string externalAddress)
    {
        using var listener = lab.Lan.Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        listener.DualMode = true;
        listener.Bind(new IPEndPoint(IPAddress.IPv6Any, localPort));
        listener.Listen();

        string[] only = protocol is null ? [] : ["--protocol", .. protocol.Split(' ')];
        await using var client = SplicerProgram.StartInNamespace(lab.Lan.Name, ["map", "--port", $"{localPort}", .. only]);
        var line = await client.WaitForLineAsync(text => text.StartsWith(shown + " ", StringComparison.Ordinal) || text.StartsWith("splicer:", StringComparison.Ordinal));
        Assert.True(line.StartsWith(shown + " ", StringComparison.Ordinal), $"{client.Output}\nrouter:\n{lab.RouterLog}");
        var external = IPEndPoint.Parse(line.Split(' ')[1]);
        Assert.Equal(IPAddress.Parse(externalAddress), external.Address);
        Assert.Contains($"dport {external.Port} ", await lab.RulesAsync());

        await ReachAsync(listener, external);

        await client.WaitForLineAsync(text => text.StartsWith("Keeping the mapping", StringComparison.Ordinal));
        await NetworkNamespace.RunOnHostAsync("kill", "-INT", $"{client.Id}");
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Contains("Removed the mapping.", client.Output);
        Assert.DoesNotContain($"dport {external.Port} ", await lab.RulesAsync());
    }

    [RequiresFact(ProgramsInstalledOnCi = ["miniupnpd", "nft"])]
    public async Task A_short_UPnP_lease_is_renewed_before_it_ends()
    {
        await using var client = SplicerProgram.StartInNamespace(lab.Lan.Name, ["map", "--port", "20006", "--protocol", "upnp", "--lifetime", "2s"]);
        var line = await client.WaitForLineAsync(text => text.StartsWith("UPnP-IGD ", StringComparison.Ordinal) || text.StartsWith("splicer:", StringComparison.Ordinal));
        var external = IPEndPoint.Parse(line.Split(' ')[1]);

        await Patience.Until(() => Additions(external.Port) >= 3, $"two renewals of port {external.Port} at the router");

        await NetworkNamespace.RunOnHostAsync("kill", "-INT", $"{client.Id}");
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.DoesNotContain($"dport {external.Port} ", await lab.RulesAsync());
    }

    [RequiresFact(ProgramsInstalledOnCi = ["miniupnpd", "nft"])]
    public async Task With_no_router_at_the_gateway_address_the_verb_says_why_and_exits_1()
    {
        await using var client = SplicerProgram.StartInNamespace(lab.Lan.Name, ["map", "--port", "20004", "--protocol", "nat-pmp", "--gateway", "192.0.2.131"]);

        Assert.Equal(1, await client.WaitForExitAsync());
        Assert.Contains("splicer: the router gave no port mapping:", client.Output);
        Assert.Contains("  NAT-PMP: ", client.Output);
    }

    /// <summary>How many times the router logged an AddPortMapping for <paramref name="externalPort"/>.</summary>
    private int Additions(int externalPort) =>
        lab.RouterLog.Split('\n').Count(line => line.Contains("AddPortMapping", StringComparison.Ordinal) && line.Contains($"ext port {externalPort} ", StringComparison.Ordinal));

    /// <summary>A host on the WAN side connects to the external endpoint; the LAN listener takes the connection and its bytes.</summary>
    private async Task ReachAsync(Socket listener, IPEndPoint external)
    {
        using var outside = lab.Wan.Socket(external.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await outside.ConnectAsync(external).WithPatience();
        using var inside = await listener.AcceptAsync().WithPatience();
        var peer = ((IPEndPoint)inside.RemoteEndPoint!).Address;
        Assert.Equal(external.AddressFamily == AddressFamily.InterNetwork ? RouterLab.WanHost : RouterLab.WanHost6, peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer);
        await outside.SendAsync(Encoding.ASCII.GetBytes("through the mapping"));
        var buffer = new byte[64];
        var read = await inside.ReceiveAsync(buffer).WithPatience();
        Assert.Equal("through the mapping", Encoding.ASCII.GetString(buffer, 0, read));
    }
}
