using System.Buffers;
using Splicer.Client.Framing;

namespace Splicer.Client.Pipe;

/// <summary>
/// <c>splicer pipe</c>'s two copies: input to the peer (its end ends this side's direction), the peer to output
/// (its end closes output). Done when both are; the first failure ends it.
/// </summary>
public static class PipeSession
{
    public static async Task RunAsync(PeerStream peer, Stream input, Stream output, CancellationToken cancellationToken)
    {
        var sending = Task.Run(() => SendAsync(input, peer, cancellationToken), cancellationToken);
        var receiving = Task.Run(() => ReceiveAsync(peer, output, cancellationToken), cancellationToken);
        var first = await Task.WhenAny(sending, receiving);
        await first;
        await (first == sending ? receiving : sending);
    }

    /// <summary>Copies until <paramref name="source"/> ends, in chunks of at most one frame.</summary>
    public static async Task CopyAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(SealedStream.MaxPayload);
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, SealedStream.MaxPayload), cancellationToken)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task SendAsync(Stream input, PeerStream peer, CancellationToken cancellationToken)
    {
        await CopyAsync(input, peer, cancellationToken);
        await peer.CompleteWritesAsync(cancellationToken);
    }

    private static async Task ReceiveAsync(PeerStream peer, Stream output, CancellationToken cancellationToken)
    {
        await CopyAsync(peer, output, cancellationToken);
        await output.FlushAsync(cancellationToken);
        await output.DisposeAsync();
    }
}
