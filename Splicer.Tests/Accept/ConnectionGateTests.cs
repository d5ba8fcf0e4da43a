using System.Net;
using Splicer.Accept;
using Splicer.Endings;
using Splicer.Options;

namespace Splicer.Tests.Accept;

/// <summary>How the gate counts sources: IPv4 per address, IPv6 per prefix.</summary>
public sealed class ConnectionGateTests
{
    [Theory]
    [InlineData("2001:db8:1:2:3:4:5:6", 64, "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:3:4:5:6", 48, "2001:db8:1::/48")]
    [InlineData("2001:db8:1:2:3:4:5:6", 128, "2001:db8:1:2:3:4:5:6/128")]
    [InlineData("2001:db8:1:2:3:4:5:6", 60, "2001:db8:1::/60")]
    [InlineData("198.51.100.7", 64, "198.51.100.7/32")]
    public void A_source_is_an_IPv4_address_or_an_IPv6_prefix(string address, int ipv6Prefix, string source)
    {
        Assert.Equal(source, SourcePrefix.Of(IPAddress.Parse(address), ipv6Prefix).ToString());
    }

    [Fact]
    public void Addresses_of_one_IPv6_64_share_the_per_source_limit()
    {
        using var gate = Gate(maxPerSource: 2);

        Assert.True(gate.TryAdmit(IPAddress.Parse("2001:db8::1"), out _, out _));
        Assert.True(gate.TryAdmit(IPAddress.Parse("2001:db8::2"), out _, out _));
        Assert.False(gate.TryAdmit(IPAddress.Parse("2001:db8::ffff:1234"), out _, out var refusal));

        Assert.Same(Refusal.SourceFull, refusal.Refusal);
        Assert.Contains("2001:db8::/64", refusal.Detail);
        Assert.True(gate.TryAdmit(IPAddress.Parse("2001:db8:0:1::1"), out _, out _));
    }

    [Fact]
    public void IPv4_addresses_are_sources_of_their_own()
    {
        using var gate = Gate(maxPerSource: 1);

        Assert.True(gate.TryAdmit(IPAddress.Parse("198.51.100.1"), out _, out _));
        Assert.True(gate.TryAdmit(IPAddress.Parse("198.51.100.2"), out _, out _));
        Assert.False(gate.TryAdmit(IPAddress.Parse("198.51.100.1"), out _, out _));
    }

    [Fact]
    public void A_released_admission_frees_its_place_for_the_same_source()
    {
        using var gate = Gate(maxPerSource: 1);
        Assert.True(gate.TryAdmit(IPAddress.Parse("2001:db8::1"), out var admission, out _));

        admission.Dispose();
        admission.Dispose();

        Assert.True(gate.TryAdmit(IPAddress.Parse("2001:db8::2"), out _, out _));
        Assert.Equal(1, gate.Open);
    }

    private static ConnectionGate Gate(int maxPerSource)
    {
        var options = Microsoft.Extensions.Options.Options.Create(new SplicerOptions
        {
            MaxConnectionsPerIp = maxPerSource,
            SourceRate = new SourceRateOptions { Enabled = false },
        });
        return new ConnectionGate(options, new DescriptorBudget(options));
    }
}
