using System.Buffers;
using System.Net.Sockets;
using Splicer.Accept;

namespace Splicer.Accounting;

/// <summary>Ends a connection that never became a session: replies if there is something to say, closes, records.</summary>
internal sealed class ConnectionCloser(SessionAccountant accountant)
{
    private static readonly TimeSpan LingerTime = TimeSpan.FromSeconds(2);
    private const int LingerBytes = 64 * 1024;

    public void Close(RelayConnection connection, Outcome outcome, string detail)
    {
        connection.Dispose();
        Record(connection, outcome, detail);
    }

    /// <summary>Turns a connection away at accept with a reset: cheap to shed, and the client learns at once.</summary>
    public void Refuse(RelayConnection connection, string detail)
    {
        connection.Abort();
        Record(connection, Outcome.Refused, detail);
    }

    /// <summary>
    /// Sends the reply and a FIN, then discards what the client still sends for a moment, so that
    /// closing over unread bytes does not reset the connection before the client has read the reply.
    /// </summary>
    public async Task CloseWithReplyAsync(RelayConnection connection, ReadOnlyMemory<byte> reply, Outcome outcome, string detail)
    {
        if (connection.TrySendLine(reply.Span))
        {
            await LingerAsync(connection.Socket);
        }

        Close(connection, outcome, detail);
    }

    private static async Task LingerAsync(Socket socket)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            socket.Shutdown(SocketShutdown.Send);
            using var timeout = new CancellationTokenSource(LingerTime);
            for (var discarded = 0; discarded < LingerBytes;)
            {
                var received = await socket.ReceiveAsync(scratch, SocketFlags.None, timeout.Token);
                if (received == 0)
                {
                    return;
                }

                discarded += received;
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client left or dawdled; either way the close follows.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private void Record(RelayConnection connection, Outcome outcome, string detail)
    {
        var age = connection.Age;
        accountant.Record(new SessionRecord(
            connection.Id, connection.TokenPrefix, connection.Side, null,
            connection.Remote, null, 0, 0, age, age, outcome, detail));
    }
}
