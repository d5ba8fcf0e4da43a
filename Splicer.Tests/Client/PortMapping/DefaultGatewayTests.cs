using System.Net;
using Splicer.Client.PortMapping;

namespace Splicer.Tests.Client.PortMapping;

/// <summary>The router to ask is the default route's next hop, read from the kernel's route tables.</summary>
public sealed class DefaultGatewayTests
{
    private const string Ipv4Header = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";

    [Fact]
    public void The_IPv4_default_route_gives_its_gateway()
    {
        var table = Ipv4Header
            + "eth0\t0080000C\t00000000\t0001\t0\t0\t0\t0080FFFF\t0\t0\t0\n"
            + "eth0\t00000000\t810200C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n";

        Assert.Equal(IPAddress.Parse("192.0.2.129"), DefaultGateway.FromIpv4Routes(table));
    }

    [Fact]
    public void The_lowest_metric_default_route_wins()
    {
        var table = Ipv4Header
            + "wlan0\t00000000\t010200C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n"
            + "eth0\t00000000\t810200C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n";

        Assert.Equal(IPAddress.Parse("192.0.2.129"), DefaultGateway.FromIpv4Routes(table));
    }

    [Theory]
    [InlineData("eth0\t00000000\t810200C0\t0002\t0\t0\t0\t00000000\t0\t0\t0\n")]
    [InlineData("eth0\t00000000\t00000000\t0001\t0\t0\t0\t00000000\t0\t0\t0\n")]
    [InlineData("eth0\t0080000C\t810200C0\t0003\t0\t0\t0\t0080FFFF\t0\t0\t0\n")]
    [InlineData("garbage line\n")]
    [InlineData("eth0\t00000000\tZZZZZZZZ\t0003\t0\t0\t0\t00000000\t0\t0\t0\n")]
    public void A_route_that_is_down_direct_not_default_or_garbled_gives_no_gateway(string line)
    {
        Assert.Null(DefaultGateway.FromIpv4Routes(Ipv4Header + line));
    }

    [Fact]
    public void No_table_gives_no_gateway()
    {
        Assert.Null(DefaultGateway.FromIpv4Routes(""));
        Assert.Null(DefaultGateway.FromIpv6Routes("", _ => 0));
    }

    [Fact]
    public void The_IPv6_default_route_gives_its_link_local_gateway_scoped_to_the_interface()
    {
        const string table =
            "20010db8000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0\n"
            + "00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000400 00000001 00000000 00000003     eth0\n";

        var gateway = DefaultGateway.FromIpv6Routes(table, name => name == "eth0" ? 7 : 0);

        Assert.Equal(IPAddress.Parse("fe80::1%7"), gateway);
        Assert.Equal(7, gateway!.ScopeId);
    }

    [Fact]
    public void An_IPv6_default_route_without_a_next_hop_gives_no_gateway()
    {
        const string table = "00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n";

        Assert.Null(DefaultGateway.FromIpv6Routes(table, _ => 1));
    }
}
