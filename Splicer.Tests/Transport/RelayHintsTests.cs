using System.Text.Json;
using Splicer.Tests.Admin;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Transport;

/// <summary>The admin API serves this relay as a transit relay hint, one entry per way in.</summary>
public sealed class RelayHintsTests
{
    [Fact]
    public async Task With_tls_the_hint_lists_direct_tcp_ws_and_wss_for_the_public_name_and_port()
    {
        using var certificate = TestCertificate.Create("relay.example");
        await using var host = await AdminEndpoints.StartAsync([.. certificate.Settings, "Splicer:Hints:Port=443", "Splicer:Hints:Name=example relay"]);
        using var http = host.CreateAdminClient();

        using var hint = JsonDocument.Parse(await http.GetStringAsync("api/relay-hints").WithPatience());

        var root = hint.RootElement;
        Assert.Equal("relay-v1", root.GetProperty("type").GetString());
        Assert.Equal("example relay", root.GetProperty("name").GetString());
        var entries = root.GetProperty("hints").EnumerateArray().Select(entry => entry.ToString()).ToArray();
        Assert.Equal(
            [
                """{"type":"direct-tcp-v1","hostname":"relay.example","port":443,"priority":0}""",
                """{"type":"websocket-v1","url":"ws://relay.example:443/","priority":0}""",
                """{"type":"websocket-v1","url":"wss://relay.example:443/","priority":0.5}""",
            ],
            entries);
    }

    [Fact]
    public async Task Without_tls_or_a_public_name_the_hint_names_the_host_asked_and_the_listening_port()
    {
        await using var host = await AdminEndpoints.StartAsync("Splicer:WebSocket:Enabled=false");
        using var http = host.CreateAdminClient();

        using var hint = JsonDocument.Parse(await http.GetStringAsync("api/relay-hints").WithPatience());

        var entry = Assert.Single(hint.RootElement.GetProperty("hints").EnumerateArray());
        Assert.Equal("direct-tcp-v1", entry.GetProperty("type").GetString());
        Assert.Equal("127.0.0.1", entry.GetProperty("hostname").GetString());
        Assert.Equal(host.EndPoint.Port, entry.GetProperty("port").GetInt32());
    }
}
