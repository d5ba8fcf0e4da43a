using System.Net.Sockets;
using Splicer.Accounting;
using Splicer.Endings;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Relay;

public abstract partial class RelayContractTests
{
    [RequiresFact]
    public async Task Stop_refuses_new_connections_and_lets_paired_sessions_finish()
    {
        await using var relay = await StartRelayAsync("Splicer:DrainTimeout=00:01:00");
        var (first, second) = await TestClient.PairAsync(relay);
        using (first)
        using (second)
        {
            using var waiting = await TestClient.RequestAsync(relay.EndPoint, Pairing.NewToken(), Pairing.NewSide());
            await Patience.Until(() => relay.Services.WaitingConnections() == 1, "the lonely client to wait");

            var stopping = relay.StopAsync();
            await Patience.Until(() => relay.Sessions.IsDraining, "the drain to begin");

            await waiting.WaitClosedAsync();
            await Assert.ThrowsAnyAsync<SocketException>(() => TestClient.ConnectAsync(relay.EndPoint));
            Assert.False(stopping.IsCompleted);

            await first.SendAsync("during drain");
            Assert.Equal("during drain"u8.ToArray(), await second.ReadExactlyAsync(12));
            first.ShutdownSend();
            second.ShutdownSend();
            await first.ReadToEndAsync();
            await second.ReadToEndAsync();
            await stopping.WithPatience();
        }

        Assert.Equal(12, (await relay.Records.WaitForSessionAsync(Outcome.Happy)).BytesAToB);
    }

    [RequiresFact]
    public async Task Stop_cuts_sessions_still_running_when_the_drain_time_runs_out()
    {
        await using var relay = await StartRelayAsync("Splicer:DrainTimeout=00:00:00.200");
        var (first, second) = await TestClient.PairAsync(relay);
        using (first)
        using (second)
        {
            await relay.StopAsync().WithPatience();

            Assert.Equal(Closure.Reset, await first.WaitClosedAsync());
            Assert.Equal(Closure.Reset, await second.WaitClosedAsync());
        }

        Assert.Contains("drain", (await relay.Records.WaitForAsync(Outcome.Killed)).Detail);
    }
}
