using System.Buffers;
using System.Net.Sockets;
using Splicer.Splice.Pacing;

namespace Splicer.Splice.Kernel;

/// <summary>
/// The kernel path under a bandwidth cap: each step splices at most what the pacer allows into a pipe
/// rented for that step, empties it into the target, gives the pipe back, then waits as long as the
/// pacer says. While it waits the relay reads nothing, so the sender's TCP window closes.
/// </summary>
internal sealed partial class KernelSpliceEngine
{
    private Task<SpliceEnd> Pump(SpliceDirection direction, int from, int to, CancellationToken aborted) =>
        direction.Pacer is { } pacer ? PacedPumpAsync(direction, pacer, from, to, aborted) : PumpAsync(direction, from, to, aborted);

    private async Task<SpliceEnd> PacedPumpAsync(SpliceDirection direction, Pacer pacer, int from, int to, CancellationToken aborted)
    {
        var source = direction.From.Socket;
        try
        {
            while (true)
            {
                await source.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, aborted);
                var moved = await MoveStepAsync(direction, pacer.ChunkBytes, from, to, aborted);
                if (moved == 0)
                {
                    direction.To.Socket.Shutdown(SocketShutdown.Send);
                    return SpliceEnd.Finished;
                }

                if (moved > 0)
                {
                    await pacer.PaceAsync(moved, aborted);
                }
            }
        }
        catch (OperationCanceledException)
        {
            return SpliceEnd.Aborted;
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            return SpliceEnd.FailSession(direction, ex, aborted);
        }
    }

    /// <summary>Moves at most <paramref name="step"/> bytes; how many, 0 at end of stream, -1 when none were there.</summary>
    private async ValueTask<int> MoveStepAsync(SpliceDirection direction, int step, int from, int to, CancellationToken aborted)
    {
        if (!pipes.TryRent(out var pipe))
        {
            return await UserSpaceCopy.CopyChunkAsync(direction, step, aborted);
        }

        try
        {
            var filled = Fill(pipe, from, step);
            if (filled > 0 && !TryEmpty(pipe, to, direction))
            {
                await EmptyThroughUserSpaceAsync(pipe, to, direction, aborted);
            }

            return filled;
        }
        finally
        {
            pipes.Return(pipe);
        }
    }
}
