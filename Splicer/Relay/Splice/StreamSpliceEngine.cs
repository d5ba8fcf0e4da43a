using System.Buffers;
using System.Net.Sockets;

namespace Splicer.Splice;

/// <summary>
/// The user-space copy for a session where either side is TLS or WebSocket. Each direction reads
/// what one buffer holds and writes it before reading again, so a slow receiver slows its sender
/// and one buffer per direction is all the relay holds. A side that ends its sending half (a FIN,
/// close_notify or a Close frame) is passed on as the other side's own kind of end; a failure ends
/// the session as jilted, with resets. A paced direction reads at most one pacer step at a time.
/// </summary>
internal sealed class StreamSpliceEngine : ISpliceEngine
{
    /// <summary>The most one read takes, and so the largest WebSocket message the relay sends.</summary>
    public const int BufferSize = 64 * 1024;

    public string Name => "streams";

    public async Task<SpliceEnd> RunAsync(SpliceSession session)
    {
        var aToB = PumpAsync(session.AToB, session.Aborted);
        var bToA = PumpAsync(session.BToA, session.Aborted);
        return SpliceEnd.Both(await aToB, await bToA);
    }

    private static async Task<SpliceEnd> PumpAsync(SpliceDirection direction, CancellationToken aborted)
    {
        await Task.Yield();
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var step = direction.Pacer?.ChunkBytes ?? BufferSize;
                var received = await direction.From.ReceiveAsync(buffer.AsMemory(0, Math.Min(step, BufferSize)), aborted);
                if (received == 0)
                {
                    await direction.To.CloseSendingAsync(aborted);
                    return SpliceEnd.Finished;
                }

                direction.Buffered(received);
                await direction.To.SendAsync(buffer.AsMemory(0, received), aborted);
                direction.Relayed(received);
                if (direction.Pacer is { } pacer)
                {
                    await pacer.PaceAsync(received, aborted);
                }
            }
        }
        catch (OperationCanceledException)
        {
            return SpliceEnd.Aborted;
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            return SpliceEnd.FailSession(direction, ex, aborted);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
