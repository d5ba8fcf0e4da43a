using System.Net.Sockets;
using Splicer.Accept;

namespace Splicer.Rendezvous;

/// <summary>
/// Watches a waiting TLS or WebSocket client. Unlike plain TCP, where any byte before <c>ok</c> is
/// impatient (as in the reference relay), bytes sent before pairing are held for the session, since
/// the transit specification lets one WebSocket message carry a handshake and data; only a client
/// that sends more than <see cref="MaxHeldBytes"/> before it is paired is impatient.
/// </summary>
internal static class TransportActivity
{
    public const int MaxHeldBytes = 64 * 1024;

    public static async Task<Activity> WaitAsync(IConnectionTransport transport, CancellationToken cancellationToken)
    {
        try
        {
            while (await transport.HoldAsync(cancellationToken))
            {
                if (transport.HeldBytes > MaxHeldBytes)
                {
                    return Activity.Data;
                }
            }

            return Activity.Closed;
        }
        catch (OperationCanceledException)
        {
            return Activity.Cancelled;
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            return Activity.Failed;
        }
    }
}
