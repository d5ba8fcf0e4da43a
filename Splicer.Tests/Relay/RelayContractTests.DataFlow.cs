using System.Net.Sockets;
using System.Security.Cryptography;
using Splicer.Accounting;
using Splicer.Endings;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Relay;

public abstract partial class RelayContractTests
{
    [RequiresFact]
    public async Task Half_close_from_the_first_side_passes_the_FIN_and_keeps_the_other_direction_flowing()
    {
        await using var relay = await StartRelayAsync();
        var (first, second) = await TestClient.PairAsync(relay);
        using (first)
        using (second)
        {
            await AssertHalfCloseAsync(first, second);
        }

        var record = await relay.Records.WaitForSessionAsync(Outcome.Happy);
        Assert.Equal((5L, 9L), (record.BytesAToB, record.BytesBToA));
    }

    [RequiresFact]
    public async Task Half_close_from_the_second_side_passes_the_FIN_and_keeps_the_other_direction_flowing()
    {
        await using var relay = await StartRelayAsync();
        var (first, second) = await TestClient.PairAsync(relay);
        using (first)
        using (second)
        {
            await AssertHalfCloseAsync(second, first);
        }

        var record = await relay.Records.WaitForSessionAsync(Outcome.Happy);
        Assert.Equal((9L, 5L), (record.BytesAToB, record.BytesBToA));
    }

    private static async Task AssertHalfCloseAsync(TestClient closesFirst, TestClient keepsTalking)
    {
        await closesFirst.SendAsync("hello");
        closesFirst.ShutdownSend();

        Assert.Equal("hello"u8.ToArray(), await keepsTalking.ReadToEndAsync());
        await keepsTalking.SendAsync("after FIN");
        keepsTalking.ShutdownSend();
        Assert.Equal("after FIN"u8.ToArray(), await closesFirst.ReadToEndAsync());
    }

    [RequiresFact]
    public async Task Reset_on_one_side_closes_the_other_promptly()
    {
        await using var relay = await StartRelayAsync();
        var (first, second) = await TestClient.PairAsync(relay);
        using (second)
        {
            await first.SendAsync("bye");
            Assert.Equal("bye"u8.ToArray(), await second.ReadExactlyAsync(3));

            first.Reset();

            await second.WaitClosedAsync();
        }

        var record = await relay.Records.WaitForAsync(Outcome.Jilted);
        Assert.True(record.WasPaired);
    }

    [RequiresFact]
    public async Task Sixty_four_MiB_of_random_bytes_each_way_at_once_arrive_byte_exact()
    {
        const int size = 64 * 1024 * 1024;
        await using var relay = await StartRelayAsync();
        var (first, second) = await TestClient.PairAsync(relay);
        using (first)
        using (second)
        {
            var fromFirst = RandomNumberGenerator.GetBytes(size);
            var fromSecond = RandomNumberGenerator.GetBytes(size);

            var received = await Task.WhenAll(
                SendAllThenReadAllAsync(first, fromFirst),
                SendAllThenReadAllAsync(second, fromSecond)).WaitAsync(TimeSpan.FromMinutes(3));

            Assert.Equal(SHA256.HashData(fromSecond), SHA256.HashData(received[0]));
            Assert.Equal(SHA256.HashData(fromFirst), SHA256.HashData(received[1]));
        }

        var record = await relay.Records.WaitForSessionAsync(Outcome.Happy);
        Assert.Equal((size, size), (record.BytesAToB, record.BytesBToA));
    }

    private static async Task<byte[]> SendAllThenReadAllAsync(TestClient client, byte[] payload)
    {
        var sending = Task.Run(async () =>
        {
            for (var offset = 0; offset < payload.Length; offset += 256 * 1024)
            {
                await client.Socket.SendAsync(payload.AsMemory(offset, Math.Min(256 * 1024, payload.Length - offset)), SocketFlags.None);
            }

            client.ShutdownSend();
        });
        var received = await client.ReadToEndAsync();
        await sending;
        return received;
    }

    [RequiresFact]
    public async Task Receiver_that_stops_reading_slows_its_sender_and_the_relay_buffers_at_most_1_MiB()
    {
        const int size = 64 * 1024 * 1024;
        await using var relay = await StartRelayAsync();
        var (sender, receiver) = await TestClient.PairAsync(relay);
        using (sender)
        using (receiver)
        {
            var payload = RandomNumberGenerator.GetBytes(size);
            var sending = sender.SendAllThenShutdownAsync(payload);
            var session = relay.Sessions.Sessions.Single();

            await WaitUntilStalledAsync(() => session.AToB.Bytes);

            Assert.False(sending.IsCompleted, "the sender finished although nobody read");
            Assert.InRange(session.AToB.Bytes, 1, size - 1);
            Assert.InRange(session.AToB.LargestBuffered, 0, 1024 * 1024);

            var received = await receiver.ReadToEndAsync();
            await sending.WithPatience();
            Assert.Equal(SHA256.HashData(payload), SHA256.HashData(received));
            Assert.InRange(session.AToB.LargestBuffered, 0, 1024 * 1024);
        }
    }

    /// <summary>Waits until a progress counter has moved and then not moved for a while.</summary>
    private static async Task WaitUntilStalledAsync(Func<long> progress)
    {
        await Patience.Until(() => progress() > 0, "the first bytes to be relayed");
        var last = -1L;
        var unchangedSince = DateTime.UtcNow;
        await Patience.Until(() =>
        {
            var now = progress();
            if (now != last)
            {
                (last, unchangedSince) = (now, DateTime.UtcNow);
            }

            return DateTime.UtcNow - unchangedSince > TimeSpan.FromMilliseconds(500);
        }, "the relay to stop moving bytes");
    }

    [RequiresFact]
    public async Task Several_hundred_pairs_at_once_each_relay_their_own_bytes()
    {
        const int pairs = 300;
        await using var relay = await StartRelayAsync("Splicer:MaxConnectionsPerIp=1000");

        await Task.WhenAll(Enumerable.Range(0, pairs).Select(_ => Task.Run(() => ExchangeAsync(relay)))).WaitAsync(TimeSpan.FromMinutes(2));

        var happy = await relay.Records.WaitForSessionsAsync(Outcome.Happy, pairs);
        Assert.All(happy, record => Assert.Equal((4096L, 4096L), (record.BytesAToB, record.BytesBToA)));
    }

    private static async Task ExchangeAsync(RelayHost relay)
    {
        var (first, second) = await TestClient.PairAsync(relay.EndPoint);
        using (first)
        using (second)
        {
            var one = RandomNumberGenerator.GetBytes(4096);
            var two = RandomNumberGenerator.GetBytes(4096);
            await first.SendAsync(one);
            await second.SendAsync(two);
            first.ShutdownSend();
            second.ShutdownSend();
            Assert.Equal(two, await first.ReadToEndAsync());
            Assert.Equal(one, await second.ReadToEndAsync());
        }
    }
}
