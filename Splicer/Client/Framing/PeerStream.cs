using Splicer.Client.Failures;
using Splicer.Client.Links;

namespace Splicer.Client.Framing;

/// <summary>
/// The stream to the peer through the relay, after pairing. Reading returns 0 only at the peer's genuine end;
/// <see cref="CompleteWritesAsync"/> ends this side's direction (the peer reads its end, and the TCP FIN follows)
/// while the other direction keeps flowing. Asynchronous only.
/// </summary>
public abstract class PeerStream(RelayLink link) : Stream
{
    /// <summary>The connection the bytes travel on: to the relay (TCP, TLS or WebSocket).</summary>
    public RelayLink Link { get; } = link;

    /// <summary>Tells the peer this side has nothing more to send, then half-closes the connection.</summary>
    public abstract ValueTask CompleteWritesAsync(CancellationToken cancellationToken);

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("The peer stream is asynchronous only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("The peer stream is asynchronous only.");

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Sends on <paramref name="link"/>; a failed connection is a <see cref="ClientFailure"/> for the person at the terminal.</summary>
    protected static async ValueTask SendOnAsync(RelayLink link, ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            await link.SendAsync(buffer, cancellationToken);
        }
        catch (IOException error)
        {
            throw new ClientFailure($"the connection to the peer failed: {error.Message}");
        }
    }

    /// <summary>Ends this side's direction on <paramref name="link"/>; a connection already gone is reported by the reading side.</summary>
    protected static async ValueTask CompleteSendingOnAsync(RelayLink link, CancellationToken cancellationToken)
    {
        try
        {
            await link.CompleteSendingAsync(cancellationToken);
        }
        catch (IOException)
        {
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Link.Dispose();
        }

        base.Dispose(disposing);
    }
}
