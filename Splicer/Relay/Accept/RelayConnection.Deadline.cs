using System.Net.Sockets;

namespace Splicer.Accept;

/// <summary>The connection's place in the <see cref="DeadlineSweeper"/>: its links and why it expired, if it did.</summary>
internal sealed partial class RelayConnection
{
    private int _expiredBy;

    /// <summary>Why the connection's deadline ended its stage (a timeout, or the relay stopping); <see cref="Expiry.None"/> if it did not.</summary>
    public Expiry ExpiredBy => (Expiry)Volatile.Read(ref _expiredBy);

    // Kept by the sweeper under its lock.
    internal DeadlineList? DeadlineList { get; set; }

    internal long DueAt { get; set; }

    internal RelayConnection? PreviousDue { get; set; }

    internal RelayConnection? NextDue { get; set; }

    internal void MarkExpired(Expiry reason) => Volatile.Write(ref _expiredBy, (int)reason);

    /// <summary>
    /// Wakes whatever receive the stage has pending, without cancelling it: shutting the receiving
    /// half makes it complete with an end of stream, and replies can still be sent.
    /// </summary>
    internal void WakePendingReceive()
    {
        try
        {
            Socket.Shutdown(SocketShutdown.Receive);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already gone: the stage finds that out by itself.
        }
    }
}
