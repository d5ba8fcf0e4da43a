using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Splicer.Endings;
using Splicer.Options;
using Splicer.Splice;
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
        var sent = await TransferAsync(pair.A, pair.B, payload, meter);

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
        await Task.WhenAll(TransferAsync(first.A, first.B, payload, meter), TransferAsync(second.A, second.B, payload, meter));

        meter.AssertRate(OneMegabytePerSecond);
        first.Dispose();
        second.Dispose();
        var pacing = relay.Services.GetRequiredService<SessionPacing>();
        await Patience.Until(() => relay.Sessions.Count == 0 && pacing.SourcesPaced == 0, "the source buckets to go with their sessions");
    }

    [Fact]
    public async Task An_uncapped_session_has_no_pacer_and_runs_at_full_speed()
    {
        await using var relay = await RelayHost.StartAsync(DataPath);
        using var pair = await TestClient.PairAsync(relay);
        Assert.All(relay.Sessions.Sessions, session => Assert.Null(session.AToB.Pacer));

        var payload = RandomNumberGenerator.GetBytes(8_000_000);
        var meter = new RateMeter(0);
        await TransferAsync(pair.A, pair.B, payload, meter);

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
        await TransferAsync(pair.A, pair.B, payload, meter);

        meter.AssertRate(floor);
    }

    /// <summary>Sends the payload from one side while the other reads it; checks every byte by its hash. Returns how long the send took.</summary>
    private static async Task<TimeSpan> TransferAsync(TestClient from, TestClient to, byte[] payload, RateMeter meter)
    {
        var clock = Stopwatch.StartNew();
        var sending = Task.Run(async () =>
        {
            await from.Socket.SendAsync(payload, SocketFlags.None);
            return clock.Elapsed;
        });

        var received = new byte[payload.Length];
        for (var read = 0; read < received.Length;)
        {
            var count = await to.Socket.ReceiveAsync(received.AsMemory(read), SocketFlags.None).WithPatience();
            Assert.NotEqual(0, count);
            read += count;
            meter.Received(count);
        }

        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(received));
        return await sending.WithPatience();
    }

    /// <summary>
    /// Bytes received by every transfer of a test, and the rate in steady state: counted from the
    /// moment the bucket's first burst (a few steps, let go at once) has arrived to the last byte.
    /// </summary>
    private sealed class RateMeter(long burst)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _bytes;
        private long _markBytes = -1;
        private TimeSpan _markTime;
        private TimeSpan _lastTime;

        public TimeSpan Elapsed => _lastTime;

        public void Received(int count)
        {
            lock (_clock)
            {
                _bytes += count;
                _lastTime = _clock.Elapsed;
                if (_markBytes < 0 && _bytes >= burst)
                {
                    (_markBytes, _markTime) = (_bytes, _lastTime);
                }
            }
        }

        /// <summary>
        /// Never more than 10 % over the cap. Below it only as far as a busy 2-core test machine can
        /// explain (half the cap): how close a quiet box comes to the cap is the bench's to measure.
        /// </summary>
        public void AssertRate(long bytesPerSecond)
        {
            var seconds = (_lastTime - _markTime).TotalSeconds;
            var measured = (_bytes - _markBytes) / seconds;
            Assert.True(measured >= bytesPerSecond * 0.5 && measured <= bytesPerSecond * 1.1,
                $"{_bytes - _markBytes} bytes at a cap of {bytesPerSecond} B/s took {seconds:F2}s after the first burst: {measured:F0} B/s");
        }
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
