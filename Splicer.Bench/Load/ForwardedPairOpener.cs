using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Splicer.Bench.Load;

/// <summary>
/// A "pair" through a plain forwarder (or straight to the sink for direct loopback): one client
/// connection, and the connection the forwarder opened to the bench's sink, matched by a tag.
/// </summary>
internal sealed class ForwardedPairOpener(IPEndPoint entry, SinkListener sink) : IPairOpener
{
    private long _nextTag;

    public async ValueTask<SocketPair> OpenAsync(CancellationToken cancellationToken)
    {
        var tag = Interlocked.Increment(ref _nextTag);
        var arrival = sink.Expect(tag);
        Socket? near = null;
        var tagBytes = ArrayPool<byte>.Shared.Rent(SinkListener.TagLength);
        try
        {
            near = await SocketIo.ConnectAsync(entry, cancellationToken);
            BinaryPrimitives.WriteInt64LittleEndian(tagBytes, tag);
            await SocketIo.SendAllAsync(near, tagBytes.AsMemory(0, SinkListener.TagLength), cancellationToken);
            var far = await arrival.WaitAsync(cancellationToken);
            return new SocketPair(near, far);
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
