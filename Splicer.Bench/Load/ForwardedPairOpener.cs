using System.Buffers;
using System.Buffers.Binary;

namespace Splicer.Bench.Load;

/// <summary>
/// A "pair" through a plain forwarder (or straight to the sink for direct loopback): one client
/// connection (plain, or TLS that the forwarder ends), and the plain connection the forwarder opened to
/// the bench's sink, matched by a tag.
/// </summary>
internal sealed class ForwardedPairOpener(Dialer entry, SinkListener sink) : IPairOpener
{
    private long _nextTag;

    public async ValueTask<JoinedPair> OpenAsync(CancellationToken cancellationToken)
    {
        var tag = Interlocked.Increment(ref _nextTag);
        var arrival = sink.Expect(tag);
        PairEnd? near = null;
        var tagBytes = ArrayPool<byte>.Shared.Rent(SinkListener.TagLength);
        try
        {
            near = await entry.DialAsync(cancellationToken);
            BinaryPrimitives.WriteInt64LittleEndian(tagBytes, tag);
            await near.SendAsync(tagBytes.AsMemory(0, SinkListener.TagLength), cancellationToken);
            var far = await arrival.WaitAsync(cancellationToken);
            return new JoinedPair(near, far);
        }
        catch
        {
            sink.Forget(tag, arrival);
            near?.Dispose();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(tagBytes);
        }
    }
}
