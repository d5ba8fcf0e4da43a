using System.Net.Sockets;

namespace Splicer.Client;

/// <summary>
/// The stream to the peer through the relay, after pairing. Reading returns 0 only at the peer's genuine end;
/// <see cref="CompleteWritesAsync"/> ends this side's direction (the peer reads its end, and the TCP FIN follows)
/// while the other direction keeps flowing. Asynchronous only.
/// </summary>
public abstract class PeerStream(Socket socket) : Stream
{
    protected Socket Socket { get; } = socket;

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

    protected void ShutdownSend()
    {
        try
        {
            Socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The connection is already gone; the reading side reports it.
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Socket.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>
/// The bytes as they are (<c>--no-encryption</c>, for measuring): the relay can read and change them, and a cut
/// connection looks like a clean end.
/// </summary>
public sealed class PlainPeerStream(Socket socket) : PeerStream(socket)
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await Socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
        }
        catch (SocketException error)
        {
            throw new StreamIntegrityException($"the connection to the peer failed: {error.Message}");
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        PeerSockets.SendAllAsync(Socket, buffer, cancellationToken);

    public override ValueTask CompleteWritesAsync(CancellationToken cancellationToken)
    {
        ShutdownSend();
        return ValueTask.CompletedTask;
    }
}

internal static class PeerSockets
{
    public static async ValueTask<int> SendAsync(Socket socket, ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await socket.SendAsync(buffer, SocketFlags.None, cancellationToken);
        }
        catch (SocketException error)
        {
            throw new ClientFailure($"the connection to the peer failed: {error.Message}");
        }
    }

    public static async ValueTask SendAllAsync(Socket socket, ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            buffer = buffer[await SendAsync(socket, buffer, cancellationToken)..];
        }
    }

    /// <summary>Fills <paramref name="buffer"/>; returns how much arrived before the peer's FIN (less only at the end).</summary>
    public static async ValueTask<int> ReceiveFullAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        try
        {
            while (filled < buffer.Length)
            {
                var read = await socket.ReceiveAsync(buffer[filled..], SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }
        }
        catch (SocketException error)
        {
            throw new StreamIntegrityException($"the connection to the peer failed: {error.Message}; what arrived so far was genuine, the rest is missing");
        }

        return filled;
    }
}
