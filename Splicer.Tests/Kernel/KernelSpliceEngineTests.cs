using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Splicer.Endings;
using Splicer.Hosting;
using Splicer.Options;
using Splicer.Splice;
using Splicer.Splice.Kernel;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Kernel;

/// <summary>What only the kernel path has: pipes rented while bytes flow, the user-space fallback, the choice at start.</summary>
public sealed class KernelSpliceEngineTests
{
    [RequiresFact(Prerequisite.KernelSplice)]
    public async Task Auto_takes_the_kernel_path_where_splice_works()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto);

        Assert.Equal("kernel-splice", relay.EngineName);
    }

    [RequiresFact(Prerequisite.KernelSplice)]
    public async Task Idle_paired_sessions_hold_no_pipe()
    {
        const int pairs = 40;
        await using var relay = await RelayHost.StartAsync(DataPath.KernelSplice);
        var pipes = PipesOf(relay);
        var clients = new List<TestClient>();
        try
        {
            for (var i = 0; i < pairs; i++)
            {
                var (first, second) = await TestClient.PairAsync(relay.EndPoint);
                clients.Add(first);
                clients.Add(second);
                await ExchangeAsync(first, second, 256 * 1024);
            }

            await Patience.Until(() => pipes.Rented == 0, "every direction to give its pipe back");
            Assert.Equal(pairs, relay.Sessions.Count);
            Assert.InRange(pipes.Pooled, 1, KernelSpliceEngine.MaxPooledPipes);
        }
        finally
        {
            clients.ForEach(client => client.Dispose());
        }
    }

    [RequiresFact(Prerequisite.KernelSplice)]
    public async Task A_direction_cut_by_a_reset_gives_its_pipe_back()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.KernelSplice);
        var pipes = PipesOf(relay);
        var (sender, receiver) = await TestClient.PairAsync(relay);
        using (receiver)
        {
            // The receiver does not read, so the sender's direction holds a full pipe when the reset comes.
            var sending = Task.Run(async () => await sender.Socket.SendAsync(new byte[16 * 1024 * 1024], SocketFlags.None));
            await Patience.Until(() => pipes.Rented > 0 && relay.Sessions.Sessions.Single().AToB.Bytes > 0, "bytes to flow");

            receiver.Reset();

            await relay.Records.WaitForAsync(Outcome.Jilted);
            await Assert.ThrowsAnyAsync<SocketException>(() => sending).WithPatience();
            sender.Dispose();
            await Patience.Until(() => pipes.Rented == 0, "the pipe to come back");
        }
    }

    [RequiresFact(Prerequisite.KernelSplice)]
    public async Task A_receiver_that_stops_reading_for_a_while_gets_every_byte_through_the_user_space_fallback()
    {
        const int size = 16 * 1024 * 1024;
        await using var relay = await RelayHost.StartAsync(DataPath.KernelSplice);
        var (sender, receiver) = await TestClient.PairAsync(relay);
        using (sender)
        using (receiver)
        {
            var payload = RandomNumberGenerator.GetBytes(size);
            var sending = sender.SendAllThenShutdownAsync(payload);
            var session = relay.Sessions.Sessions.Single();
            // Nobody reads until the full target made a splice fail with EAGAIN and the fallback took over.
            await Patience.Until(() => session.AToB.LargestBuffered > 0, "the target to refuse a splice");

            var received = await receiver.ReadToEndAsync();
            await sending.WithPatience();

            Assert.Equal(SHA256.HashData(payload), SHA256.HashData(received));
            Assert.InRange(session.AToB.LargestBuffered, 1, 64 * 1024);
        }
    }

    private static PipePool PipesOf(RelayHost relay) =>
        Assert.IsType<KernelSpliceEngine>(relay.Services.GetRequiredService<ISpliceEngine>()).Pipes;

    private static async Task ExchangeAsync(TestClient first, TestClient second, int size)
    {
        var one = RandomNumberGenerator.GetBytes(size);
        var two = RandomNumberGenerator.GetBytes(size);
        await Task.WhenAll(first.SendAsync(one), second.SendAsync(two));
        Assert.Equal(one, await second.ReadExactlyAsync(size));
        Assert.Equal(two, await first.ReadExactlyAsync(size));
    }
}
