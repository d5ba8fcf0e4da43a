using Splicer.Client.Failures;
using Splicer.Client.Links;

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
    [InlineData("tls://relay.example.net:4001", RelayTransport.Tls, "relay.example.net", 4001, "/", "tls://relay.example.net:4001")]
    [InlineData("tls://relay.example.net", RelayTransport.Tls, "relay.example.net", 443, "/", "tls://relay.example.net:443")]
    [InlineData("ws://relay.example.net:4001/", RelayTransport.Ws, "relay.example.net", 4001, "/", "ws://relay.example.net:4001/")]
    [InlineData("WS://relay.example.net", RelayTransport.Ws, "relay.example.net", 80, "/", "ws://relay.example.net:80/")]
    [InlineData("wss://relay.example.net/transit", RelayTransport.Wss, "relay.example.net", 443, "/transit", "wss://relay.example.net:443/transit")]
    [InlineData("wss://[2001:db8::1]:8443/v1", RelayTransport.Wss, "2001:db8::1", 8443, "/v1", "wss://[2001:db8::1]:8443/v1")]
    public void Tls_and_websocket_urls_name_their_transport_with_default_ports_and_paths(
        string text, RelayTransport transport, string host, int port, string path, string written)
    {
        var address = RelayAddress.Parse(text);

        Assert.Equal((transport, host, port, path), (address.Transport, address.Host, address.Port, address.Path));
        Assert.Equal(written, address.ToString());
    }

    [Fact]
    public void A_transport_option_moves_the_same_host_and_port_to_another_transport()
    {
        var joined = RelayAddress.Parse("tcp://relay.example.net:4001");

        Assert.Equal("wss://relay.example.net:4001/", joined.Over(RelayTransport.Wss).ToString());
        Assert.Equal("relay.example.net:4001", joined.Over(RelayTransport.Wss).Authority);
        Assert.Equal("relay.example.net", RelayAddress.Parse("wss://relay.example.net/").Authority);
        Assert.Equal(joined, RelayAddress.Parse("ws://relay.example.net:4001/x").Over(RelayTransport.Tcp));
    }

    [Theory]
    [InlineData("http://relay.example.net:80", "unknown scheme 'http'")]
    [InlineData("tcp://relay.example.net", "it needs a host and a port")]
    [InlineData("tcp://relay.example.net:70000", "the port must be a number from 1 to 65535")]
    [InlineData("tls://relay.example.net:443/path", "a tls:// URL has no path")]
    [InlineData("wss://relay.example.net/a b", "the path has a space")]
    [InlineData("tcp://:4001", "it needs a host and a port")]
    [InlineData("tcp://user@relay.example.net:4001", "the host is empty or has characters")]
    public void Anything_else_is_a_usage_error_that_says_why(string text, string reason)
    {
        var error = Assert.Throws<ClientFailure>(() => RelayAddress.Parse(text));

        Assert.Equal(ClientFailure.Usage, error.ExitCode);
        Assert.Contains(reason, error.Message);
    }
}
