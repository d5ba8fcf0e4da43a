using System.Net.Sockets;

namespace Splicer.Rendezvous;

/// <summary>Watches an idle socket without reading from it, and says what woke it.</summary>
internal static class SocketActivity
{
    /// <summary>
    /// Waits until the socket turns readable (a zero-byte receive consumes nothing): true when it
    /// did and there is something to see, null on a stale readiness event (for bytes the handshake
    /// reader has already taken; wait again), false when the connection failed.
    /// </summary>
    public static async ValueTask<bool?> WakeAsync(Socket socket)
    {
        try
        {
            await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, CancellationToken.None);

            // Peeking on a stale event would block a pool thread until the client spoke, so look
            // first, without waiting.
            return socket.Poll(0, SelectMode.SelectRead) ? true : null;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>
    /// What a socket that <see cref="WakeAsync"/> found readable has: a byte, or (readable with none)
    /// the peer's end. Counting what is queued never waits, where a peek could.
    /// </summary>
    public static Activity Look(Socket socket)
    {
        try
        {
            return socket.Available > 0 ? Activity.Data : Activity.Closed;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return Activity.Failed;
        }
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
