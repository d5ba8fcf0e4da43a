using System.Net;
using Splicer.Options;
using Splicer.Tests.Admin;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Accept;

/// <summary><c>/readyz</c> tells a load balancer the truth: not ready at the global limit or while draining.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task Readyz_is_503_while_the_relay_is_at_its_connection_limit_and_200_again_after()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto, "Splicer:MaxConnections=1");
        using var http = relay.CreateAdminClient();
        var held = await TestClient.ConnectAsync(relay.EndPoint);
        await Patience.Until(() => relay.Services.OpenConnections() == 1, "the connection to be admitted");

        var full = await http.GetAsync("readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, full.StatusCode);

        held.Dispose();
        await Patience.UntilAsync(async () => (await http.GetAsync("readyz")).StatusCode == HttpStatusCode.OK, "readyz to recover");
    }

    [Fact]
    public async Task The_admin_keeps_answering_readyz_with_503_during_the_drain()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto, "Splicer:DrainTimeout=00:01:00");
        using var http = relay.CreateAdminClient();
        using var pair = await TestClient.PairAsync(relay);

        var stopping = relay.StopAsync();
        await Patience.Until(() => relay.Sessions.IsDraining, "the drain to begin");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("healthz")).StatusCode);
        pair.A.ShutdownSend();
        pair.B.ShutdownSend();
        await pair.A.ReadToEndAsync();
        await pair.B.ReadToEndAsync();
        await stopping.WithPatience();
    }
}
