using Splicer.Accounting;
using Splicer.Endings;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Relay;

public abstract partial class RelayContractTests
{
    [RequiresFact]
    public async Task Silent_client_is_closed_when_the_handshake_timeout_runs_out()
    {
        await using var relay = await StartRelayAsync("Splicer:HandshakeTimeout=00:00:00.200");
        using var client = await TestClient.ConnectAsync(relay.EndPoint);

        Assert.Equal(Closure.Fin, await client.WaitClosedAsync());
        Assert.Contains("HandshakeTimeout", (await relay.Records.WaitForAsync(Outcome.TimedOut)).Detail);
    }

    [RequiresFact]
    public async Task Incomplete_handshake_is_closed_when_the_handshake_timeout_runs_out()
    {
        await using var relay = await StartRelayAsync("Splicer:HandshakeTimeout=00:00:00.200");
        using var client = await TestClient.ConnectAsync(relay.EndPoint);

        await client.SendAsync("please relay 0123");

        await client.WaitClosedAsync();
        await relay.Records.WaitForAsync(Outcome.TimedOut);
    }

    [RequiresFact]
    public async Task Lonely_client_is_closed_when_the_pairing_timeout_runs_out()
    {
        await using var relay = await StartRelayAsync("Splicer:PairingTimeout=00:00:00.200");
        using var client = await TestClient.RequestAsync(relay.EndPoint, Pairing.NewToken(), Pairing.NewSide());

        Assert.Equal(Closure.Fin, await client.WaitClosedAsync());
        var record = await relay.Records.WaitForAsync(Outcome.Lonely);
        Assert.Contains("PairingTimeout", record.Detail);
        Assert.Equal(0, relay.Services.WaitingConnections());
    }

    [RequiresFact]
    public async Task Idle_paired_session_is_closed_when_the_idle_timeout_runs_out()
    {
        await using var relay = await StartRelayAsync("Splicer:IdleTimeout=00:00:02");
        var (first, second) = await TestClient.PairAsync(relay);
        using (first)
        using (second)
        {
            await first.SendAsync("one");
            Assert.Equal("one"u8.ToArray(), await second.ReadExactlyAsync(3));

            await first.WaitClosedAsync();
            await second.WaitClosedAsync();
        }

        var record = await relay.Records.WaitForSessionAsync(Outcome.TimedOut);
        Assert.Contains("IdleTimeout", record.Detail);
        Assert.Equal(3, record.BytesAToB);
    }

    [RequiresFact]
    public async Task Paired_sessions_are_not_cut_when_no_idle_timeout_is_set()
    {
        // Long enough for the pair to form on a loaded machine, short enough to fire while it sits idle.
        await using var relay = await StartRelayAsync("Splicer:PairingTimeout=00:00:02", "Splicer:HandshakeTimeout=00:00:02");
        var (first, second) = await TestClient.PairAsync(relay);
        using (first)
        using (second)
        {
            // A lonely client timing out proves the relay's timers ran while the pair sat idle.
            using var lonely = await TestClient.RequestAsync(relay.EndPoint, Pairing.NewToken(), Pairing.NewSide());
            await relay.Records.WaitForAsync(Outcome.Lonely);

            await first.SendAsync("still here");
            Assert.Equal("still here"u8.ToArray(), await second.ReadExactlyAsync(10));
        }
    }
}
