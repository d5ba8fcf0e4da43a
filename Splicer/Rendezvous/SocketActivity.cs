using System.Net.Sockets;

namespace Splicer.Rendezvous;

/// <summary>Watches an idle socket without reading from it, and says what woke it.</summary>
internal static class SocketActivity
{
    public static async Task<Activity> WaitAsync(Socket socket, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                // A zero-byte receive completes when the socket turns readable and consumes nothing.
                await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, cancellationToken);

                // It may also complete on a stale readiness event (for bytes the handshake reader has
                // already taken). Peeking then would block a pool thread until the client spoke, so
                // look first, without waiting, and go back to sleep if there is nothing to see.
                if (socket.Poll(0, SelectMode.SelectRead))
                {
                    return Peek(socket);
                }
            }
        }
        catch (OperationCanceledException)
        {
            return Activity.Cancelled;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return Activity.Failed;
        }
    }

    private static Activity Peek(Socket socket)
    {
        Span<byte> probe = stackalloc byte[1];
        return socket.Receive(probe, SocketFlags.Peek) > 0 ? Activity.Data : Activity.Closed;
    }
}

internal enum Activity
{
    /// <summary>The peer sent a byte (still in the socket).</summary>
    Data,

    /// <summary>The peer closed its sending half.</summary>
    Closed,

    /// <summary>The connection was reset or failed.</summary>
    Failed,

    /// <summary>The watch was called off.</summary>
    Cancelled,
}
