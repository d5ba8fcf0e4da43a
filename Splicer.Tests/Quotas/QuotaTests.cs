using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Splicer.Endings;
using Splicer.Governance;
using Splicer.Options;
using Splicer.Splice.Pacing;
using Splicer.State;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Quotas;

/// <summary>
/// Quotas per identity and per door on real sockets and a real state file: spent bytes cut or slow a
/// running session with the reason and refuse the next handshake, the sessions-at-once cap refuses the
/// next, and what is left is told in the native answer.
/// </summary>
public sealed class QuotaTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_daily_quota_crossed_mid_session_cuts_it_with_quota_spent_and_refuses_the_next_handshake()
    {
        await using var relay = await DoorsRelay.StartAsync();
        var door = await relay.OpenInviteDoorAsync();
        var (alice, bob) = (await relay.EnrollAsync(door, "alice"), await relay.EnrollAsync(door, "bob"));
        // The bandwidth quota keeps the crossing slow enough for the watcher's quarter-second look to see it.
        await relay.Identities.SetQuotaAsync(alice.IdentityId, new Quota(BytesPerDay: 1_000_000, BytesPerSecond: 1_000_000), "owner", None);
        using var pair = await relay.PairAsync(alice, bob);

        _ = SendIgnoringTheCutAsync(pair.A, RandomNumberGenerator.GetBytes(3_000_000));
        Assert.Equal(Closure.Reset, await pair.B.WaitClosedAsync());

        var record = await relay.Records.WaitForSessionAsync(Outcome.Killed);
        Assert.Same(Refusal.QuotaSpent, record.Ending.Refusal);
        Assert.Contains($"identity {alice.IdentityId} used its 1000000 bytes for this day", record.Ending.Detail);
        Assert.InRange(record.BytesAToB, 1_000_000, 2_000_000);

        var usage = relay.Host.Services.GetRequiredService<UsageStore>();
        await Patience.UntilAsync(async () => await usage.BytesTodayAsync(alice.IdentityId, DateTimeOffset.UtcNow, None) >= 1_000_000, "the session's bytes on disk");
        var use = await relay.Host.Services.GetRequiredService<Splicer.Governance.IQuotaMeter>().UseAsync(QuotaSubject.Identity(alice.IdentityId), None);
        Assert.True(use.BytesToday >= 1_000_000, use.ToString());
        var (next, answer) = await relay.SendAsync(DoorsRelay.RelayLine(Pairing.NewToken(), Pairing.NewSide(), alice.Credential, alice.Device));
        using (next)
        {
            Assert.StartsWith("refused quota_spent ", answer);
        }
    }

    [Fact]
    public async Task Under_throttle_a_spent_quota_slows_the_session_to_the_floor_and_loses_no_byte()
    {
        const long floor = 400_000;
        await using var relay = await DoorsRelay.StartAsync("Splicer:Quotas:WhenSpent=Throttle", $"Splicer:Quotas:ThrottleBytesPerSecond={floor}");
        var door = await relay.OpenInviteDoorAsync();
        var (alice, bob) = (await relay.EnrollAsync(door, "alice"), await relay.EnrollAsync(door, "bob"));
        await relay.Doors.SetQuotaAsync(door.Id, new Quota(BytesPerDay: 500_000, BytesPerSecond: 2_000_000), "owner", None);
        using var pair = await relay.PairAsync(alice, bob);
        var session = relay.Host.Sessions.Sessions.Single();

        var payload = RandomNumberGenerator.GetBytes(2_000_000);
        var transfer = PacedTransfer.RunAsync(pair.A, pair.B, payload, new RateMeter(0));
        await Patience.Until(() => session.IsThrottled, "the spent quota to throttle the session");
        var (left, clock) = (payload.Length - session.AToB.Bytes, Stopwatch.StartNew());
        await transfer;

        // The watcher looks every 250 ms, so where the throttle began depends on the machine; what was left then
        // goes at the floor, less one second of it that the bucket may let go at once.
        var least = TimeSpan.FromSeconds(0.9 * Math.Max(0, left - floor) / floor);
        Assert.True(clock.Elapsed >= least, $"the last {left} bytes took {clock.Elapsed.TotalSeconds:F2}s, under the floor's {least.TotalSeconds:F2}s");
        Assert.True(session.IsThrottled);
        Assert.Equal(floor, session.AToB.Pacer!.Own.BytesPerSecond);
        pair.A.ShutdownSend();
        pair.B.ShutdownSend();
        var record = await relay.Records.WaitForSessionAsync(Outcome.Happy);
        Assert.Equal(payload.Length, record.BytesAToB);
    }

    [Fact]
    public async Task A_sessions_at_once_quota_refuses_the_next_with_its_reason_until_one_ends()
    {
        await using var relay = await DoorsRelay.StartAsync();
        var door = await relay.OpenInviteDoorAsync();
        var (alice, bob) = (await relay.EnrollAsync(door, "alice"), await relay.EnrollAsync(door, "bob"));
        await relay.Identities.SetQuotaAsync(alice.IdentityId, new Quota(Sessions: 1), "owner", None);

        var first = await relay.PairAsync(alice, bob);
        var (refused, answer) = await relay.SendAsync(DoorsRelay.RelayLine(Pairing.NewToken(), Pairing.NewSide(), alice.Credential, alice.Device));
        using (refused)
        {
            Assert.Equal($"refused quota_sessions identity {alice.IdentityId} already runs its 1 sessions\n", answer);
        }

        first.Dispose();
        await Patience.Until(() => relay.Host.Sessions.Count == 0, "the first session to end");
        using var second = await relay.PairAsync(alice, bob);
    }

    [Fact]
    public async Task The_native_answer_tells_what_the_quotas_leave()
    {
        await using var relay = await DoorsRelay.StartAsync("Splicer:Quotas:WhenSpent=Throttle");
        var door = await relay.OpenInviteDoorAsync(maxBytes: 5_000_000);
        var alice = await relay.EnrollAsync(door, "alice");
        await relay.Identities.SetQuotaAsync(alice.IdentityId, new Quota(BytesPerMonth: 3_000_000, Sessions: 4, BytesPerSecond: 250_000), "owner", None);

        var (client, answer) = await relay.SendAsync(DoorsRelay.RelayLine(Pairing.NewToken(), Pairing.NewSide(), alice.Credential, alice.Device));
        using (client)
        {
            Assert.Equal($"ok expires={door.ExpiresAt.ToUnixTimeSeconds()} bytes=3000000 sessions=unlimited rate=250000 concurrent=4 spent=throttle\n", answer);
        }
    }

    [Fact]
    public async Task A_quota_the_owner_lowers_reaches_the_running_session()
    {
        await using var relay = await DoorsRelay.StartAsync();
        var door = await relay.OpenInviteDoorAsync();
        var (alice, bob) = (await relay.EnrollAsync(door, "alice"), await relay.EnrollAsync(door, "bob"));
        using var pair = await relay.PairAsync(alice, bob);
        await pair.A.SendAsync(new byte[10_000]);
        await pair.B.ReadExactlyAsync(10_000);

        await relay.Identities.SetQuotaAsync(bob.IdentityId, new Quota(BytesPerMonth: 5_000), "owner", None);

        Assert.Equal(Closure.Reset, await pair.A.WaitClosedAsync());
        var record = await relay.Records.WaitForSessionAsync(Outcome.Killed);
        Assert.Same(Refusal.QuotaSpent, record.Ending.Refusal);
        Assert.Contains("for this month", record.Ending.Detail);
    }

    private static async Task SendIgnoringTheCutAsync(TestClient client, byte[] payload)
    {
        try
        {
            await client.Socket.SendAsync(payload, SocketFlags.None);
        }
        catch (SocketException)
        {
            // The relay cut the session mid-send, as the test wants.
        }
    }
}

/// <summary>An identity's bandwidth quota is shared by all its sessions and holds within 10 % on each data path.</summary>
public abstract class BandwidthQuotaTests
{
    private const long OneMegabytePerSecond = 1_000_000;

    protected abstract DataPath DataPath { get; }

    [Fact]
    public async Task An_identitys_bandwidth_quota_of_1_MB_per_second_holds_over_two_of_its_sessions()
    {
        await using var relay = await DoorsRelay.StartAsync(DataPath);
        var door = await relay.OpenInviteDoorAsync();
        var (alice, bob, carol) = (await relay.EnrollAsync(door, "alice"), await relay.EnrollAsync(door, "bob"), await relay.EnrollAsync(door, "carol"));
        await relay.Identities.SetQuotaAsync(alice.IdentityId, new Quota(BytesPerSecond: OneMegabytePerSecond), "owner", CancellationToken.None);
        using var first = await relay.PairAsync(alice, bob);
        using var second = await relay.PairAsync(carol, alice);

        var payload = RandomNumberGenerator.GetBytes(1_500_000);
        var meter = new RateMeter(Pacer.BurstFor(OneMegabytePerSecond));
        await Task.WhenAll(PacedTransfer.RunAsync(first.A, first.B, payload, meter), PacedTransfer.RunAsync(second.A, second.B, payload, meter));

        meter.AssertRate(OneMegabytePerSecond);
    }
}

public sealed class PipelinesBandwidthQuotaTests : BandwidthQuotaTests
{
    protected override DataPath DataPath => DataPath.Pipelines;
}

public sealed class KernelSpliceBandwidthQuotaTests : BandwidthQuotaTests
{
    protected override DataPath DataPath => DataPath.KernelSplice;
}
