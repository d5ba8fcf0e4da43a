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
                if (Peek(socket) is { } activity)
                {
                    return activity;
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

    private static Activity? Peek(Socket socket)
    {
        // The peek must not block: a wake-up can come without data (seen under load), and a blocking
        // peek would then hold a pool thread, and the pair, until the client sends a byte.
        // (NetworkStream, used later by the pipelines path, wants the socket blocking again.)
        Span<byte> probe = stackalloc byte[1];
        socket.Blocking = false;
        var received = socket.Receive(probe, SocketFlags.Peek, out var error);
        socket.Blocking = true;
        return error switch
        {
            SocketError.Success => received > 0 ? Activity.Data : Activity.Closed,
            SocketError.WouldBlock => null,
            _ => Activity.Failed,
        };
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
