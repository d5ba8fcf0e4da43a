using System.Buffers;
using System.Net.Sockets;

namespace Splicer.Splice;

/// <summary>
/// The one way bytes of a plain TCP session pass through the relay's own memory: a pooled chunk,
/// rented for one receive and its send, counted as held while it goes.
/// </summary>
internal static class UserSpaceCopy
{
    /// <summary>Receives at most <paramref name="maxBytes"/> from the direction's source and sends them on; 0 at end of stream.</summary>
    public static async ValueTask<int> CopyChunkAsync(SpliceDirection direction, int maxBytes, CancellationToken aborted)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(maxBytes);
        try
        {
            var received = await direction.From.Socket.ReceiveAsync(chunk.AsMemory(0, maxBytes), SocketFlags.None, aborted);
            if (received > 0)
            {
                await ForwardAsync(direction, chunk.AsMemory(0, received), aborted);
            }

            return received;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>Sends bytes the relay holds for the direction to its target.</summary>
    public static async ValueTask ForwardAsync(SpliceDirection direction, ReadOnlyMemory<byte> bytes, CancellationToken aborted)
    {
        direction.Buffered(bytes.Length);
        await direction.To.Socket.SendAsync(bytes, SocketFlags.None, aborted);
        direction.Relayed(bytes.Length);
    }
}
