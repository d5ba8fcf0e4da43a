using System.Net.Sockets;
using Splicer.Client.Framing;
using Splicer.Client.Pipe;

namespace Splicer.Client.Tunnel;

/// <summary>
/// One tunnelled connection: the local socket and the peer stream copied both ways, each direction's end passed
/// on as the other's half-close (the peer's authenticated end becomes a FIN to the local side, and the local FIN
/// becomes this side's end). The first failure closes both at once.
/// </summary>
public static class TunnelSplice
{
    public static async Task RunAsync(PeerStream peer, Socket local, CancellationToken cancellationToken)
    {
        await using var localStream = new NetworkStream(local, ownsSocket: true);
        await using (peer)
        {
            var toPeer = Task.Run(async () =>
            {
                await PipeSession.CopyAsync(localStream, peer, cancellationToken);
                await peer.CompleteWritesAsync(cancellationToken);
            }, cancellationToken);
            var toLocal = Task.Run(async () =>
            {
                await PipeSession.CopyAsync(peer, localStream, cancellationToken);
                local.Shutdown(SocketShutdown.Send);
            }, cancellationToken);
            try
            {
                var first = await Task.WhenAny(toPeer, toLocal);
                await first;
                await (first == toPeer ? toLocal : toPeer);
            }
            catch
            {
                local.Close(0);
                peer.Dispose();
                await Task.WhenAll(toPeer, toLocal).ContinueWith(_ => { }, TaskScheduler.Default);
                throw;
            }
        }
    }
}
