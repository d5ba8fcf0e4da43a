using System.Net.Sockets;

namespace Splicer.Rendezvous;

/// <summary>Watches an idle socket without reading from it, and says what woke it.</summary>
internal static class SocketActivity
{
    /// <summary>Waits until the socket wakes (a zero-byte receive consumes nothing); false when the connection failed.</summary>
    public static async ValueTask<bool> WakeAsync(Socket socket)
    {
        try
        {
            await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, CancellationToken.None);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>
    /// What woke the socket: a byte, or (readable with none) the peer's end; null for a stale
    /// readiness event (for bytes the handshake reader has already taken: wait again). Neither the
    /// poll nor counting what is queued waits, where a peek could.
    /// </summary>
    public static Activity? Look(Socket socket)
    {
        try
        {
            return !socket.Poll(0, SelectMode.SelectRead) ? null
                : socket.Available > 0 ? Activity.Data
                : Activity.Closed;
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
