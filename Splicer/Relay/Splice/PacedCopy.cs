using System.Net.Sockets;
using Splicer.Splice.Pacing;

namespace Splicer.Splice;

/// <summary>
/// The user-space copy of a paced direction: wait until the source is readable, read at most one
/// pacer step, send it, then wait as long as the pacer says before reading again. While it waits the
/// relay reads nothing, so the sender's TCP window closes and its sends block; the relay holds at most
/// one step, and only while sending it.
/// </summary>
internal static class PacedCopy
{
    public static async Task<SpliceEnd> PumpAsync(SpliceDirection direction, Pacer pacer, CancellationToken aborted)
    {
        var source = direction.From.Socket;
        var target = direction.To.Socket;
        try
        {
            while (true)
            {
                // Readiness only: a quiet direction holds no buffer.
                await source.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, aborted);
                var received = await UserSpaceCopy.CopyChunkAsync(direction, pacer.ChunkBytes, aborted);
                if (received == 0)
                {
                    target.Shutdown(SocketShutdown.Send);
                    return SpliceEnd.Finished;
                }

                await pacer.PaceAsync(received, aborted);
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
}
