using Splicer.Client;

namespace Splicer.Tests.Client;

/// <summary>Relay URLs as <c>--relay</c> and invites give them.</summary>
public sealed class RelayAddressTests
{
    [Theory]
    [InlineData("tcp://relay.example.net:4001", "relay.example.net", 4001, "tcp://relay.example.net:4001")]
    [InlineData("TCP://relay.example.net:4001/", "relay.example.net", 4001, "tcp://relay.example.net:4001")]
    [InlineData("relay.example.net:4001", "relay.example.net", 4001, "tcp://relay.example.net:4001")]
    [InlineData("tcp://[2001:db8::1]:4001", "2001:db8::1", 4001, "tcp://[2001:db8::1]:4001")]
    [InlineData("203.0.113.7:1", "203.0.113.7", 1, "tcp://203.0.113.7:1")]
    public void A_tcp_url_or_a_bare_host_and_port_is_a_tcp_relay(string text, string host, int port, string written)
    {
        var address = RelayAddress.Parse(text);

        Assert.Equal((RelayTransport.Tcp, host, port), (address.Transport, address.Host, address.Port));
        Assert.Equal(written, address.ToString());
    }

    [Theory]
    [InlineData("wss://relay.example.net:443", "the wss:// transport is not supported by this client yet")]
    [InlineData("tls://relay.example.net:443", "the tls:// transport is not supported by this client yet")]
    [InlineData("http://relay.example.net:80", "unknown scheme 'http'")]
    [InlineData("tcp://relay.example.net", "it needs a host and a port")]
    [InlineData("tcp://relay.example.net:70000", "it needs a host and a port")]
    [InlineData("tcp://:4001", "it needs a host and a port")]
    [InlineData("tcp://user@relay.example.net:4001", "the host is empty or has characters")]
    public void Anything_else_is_a_usage_error_that_says_why(string text, string reason)
    {
        var error = Assert.Throws<ClientFailure>(() => RelayAddress.Parse(text));

        Assert.Equal(ClientFailure.Usage, error.ExitCode);
        Assert.Contains(reason, error.Message);
    }
}
