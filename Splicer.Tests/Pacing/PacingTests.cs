using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Splicer.Endings;
using Splicer.Governance.Sessions;
using Splicer.Options;
using Splicer.Splice.Pacing;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Pacing;

/// <summary>
/// Bandwidth caps on real sockets, once per data path: the rate holds within 10 %, the sender is
/// slowed (its sends wait, the relay holds at most one step), and every byte arrives.
/// </summary>
public abstract class PacingTests
{
    private const long OneMegabytePerSecond = 1_000_000;

    protected abstract DataPath DataPath { get; }

    [Fact]
    public async Task A_session_cap_of_1_MB_per_second_holds_within_10_percent_slows_the_sender_and_loses_no_byte()
    {
        await using var relay = await RelayHost.StartAsync(DataPath, $"Splicer:Limits:SessionBytesPerSecond={OneMegabytePerSecond}");
        using var pair = await TestClient.PairAsync(relay);
        var session = relay.Sessions.Sessions.Single();
        Assert.NotNull(session.AToB.Pacer);

        // A small send buffer, as on a real uplink, so the sender's kernel cannot take the payload at once.
        pair.A.Socket.SendBufferSize = 64 * 1024;
        var payload = RandomNumberGenerator.GetBytes(3_000_000);
        var meter = new RateMeter(Pacer.BurstFor(OneMegabytePerSecond));
        var sent = await PacedTransfer.RunAsync(pair.A, pair.B, payload, meter);

        meter.AssertRate(OneMegabytePerSecond);

        // The sender was held back by TCP: most of the payload could not be handed over at once.
        // (What the kernels buffer between sender and relay, a few hundred KiB here, went at once.)
        Assert.True(sent > TimeSpan.FromSeconds(2), $"the sender finished after {sent.TotalSeconds:F2}s, so it was not slowed");
        Assert.InRange(session.AToB.LargestBuffered, 0, Pacer.MaxChunkBytes);
        pair.A.ShutdownSend();
        pair.B.ShutdownSend();
        var record = await relay.Records.WaitForSessionAsync(Outcome.Happy);
        Assert.Equal(payload.Length, record.BytesAToB);
    }

    [Theory]
    [InlineData("TotalBytesPerSecond")]
    [InlineData("AnonymousBytesPerSecondPerSource")]
    public async Task The_total_and_the_per_source_caps_are_shared_by_every_session_they_cover(string cap)
    {
        await using var relay = await RelayHost.StartAsync(DataPath, $"Splicer:Limits:{cap}={OneMegabytePerSecond}");
        var first = await TestClient.PairAsync(relay);
        var second = await TestClient.PairAsync(relay);

        var payload = RandomNumberGenerator.GetBytes(1_500_000);
        var meter = new RateMeter(Pacer.BurstFor(OneMegabytePerSecond));
        await Task.WhenAll(PacedTransfer.RunAsync(first.A, first.B, payload, meter), PacedTransfer.RunAsync(second.A, second.B, payload, meter));

        meter.AssertRate(OneMegabytePerSecond);
        first.Dispose();
        second.Dispose();
        var pacing = relay.Services.GetRequiredService<SessionPacing>();
        await Patience.Until(() => relay.Sessions.Count == 0 && pacing.SharedBuckets == 0, "the source buckets to go with their sessions");
    }

    [Fact]
    public async Task An_uncapped_session_has_no_pacer_and_runs_at_full_speed()
    {
        await using var relay = await RelayHost.StartAsync(DataPath);
        using var pair = await TestClient.PairAsync(relay);
        Assert.All(relay.Sessions.Sessions, session => Assert.Null(session.AToB.Pacer));

        var payload = RandomNumberGenerator.GetBytes(8_000_000);
        var meter = new RateMeter(0);
        await PacedTransfer.RunAsync(pair.A, pair.B, payload, meter);

        Assert.True(meter.Elapsed < TimeSpan.FromSeconds(2), $"8 MB took {meter.Elapsed.TotalSeconds:F2}s uncapped");
    }

    [Fact]
    public async Task A_running_session_can_be_recapped_to_a_floor()
    {
        await using var relay = await RelayHost.StartAsync(DataPath, $"Splicer:Limits:SessionBytesPerSecond={20 * OneMegabytePerSecond}");
        using var pair = await TestClient.PairAsync(relay);
        var session = relay.Sessions.Sessions.Single();

        const long floor = OneMegabytePerSecond / 2;
        Assert.True(SessionPacing.Recap(session, floor));
        var payload = RandomNumberGenerator.GetBytes(1_500_000);
        var meter = new RateMeter(Pacer.BurstFor(floor));
        await PacedTransfer.RunAsync(pair.A, pair.B, payload, meter);

        meter.AssertRate(floor);
    }
}

public sealed class PipelinesPacingTests : PacingTests
{
    protected override DataPath DataPath => DataPath.Pipelines;
}

public sealed class KernelSplicePacingTests : PacingTests
{
    protected override DataPath DataPath => DataPath.KernelSplice;
}
