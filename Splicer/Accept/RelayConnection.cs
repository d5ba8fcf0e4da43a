using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Splicer.Handshake;

namespace Splicer.Accept;

/// <summary>One accepted client socket and what is known of it, from accept to close.</summary>
internal sealed class RelayConnection : IDisposable
{
    private readonly IDisposable _admission;
    private int _closed;

    public RelayConnection(long id, Socket socket, IPEndPoint remote, IDisposable admission)
    {
        Id = id;
        Socket = socket;
        Remote = remote;
        _admission = admission;
        AcceptedAt = Stopwatch.GetTimestamp();
    }

    public long Id { get; }

    public Socket Socket { get; }

    public IPEndPoint Remote { get; }

    public long AcceptedAt { get; }

    public PairingRequest? Request { get; set; }

    public TimeSpan Age => Stopwatch.GetElapsedTime(AcceptedAt);

    /// <summary>
    /// Sends a short reply line; false when the client is already gone. A reply is the first thing
    /// the relay sends, into an empty send buffer, so a plain send never waits, and it spares the
    /// socket a cached asynchronous send state that an idle session would otherwise carry.
    /// </summary>
    public bool TrySendLine(ReadOnlySpan<byte> line)
    {
        try
        {
            return Socket.Send(line, SocketFlags.None) == line.Length;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Closes with a reset, so the peer learns at once that the stream did not end cleanly.</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            try
            {
                Socket.LingerState = new LingerOption(true, 0);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Already torn down by the peer; the dispose below is all that is left to do.
            }

            Release();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            Release();
        }
    }

    private void Release()
    {
        Socket.Dispose();
        _admission.Dispose();
    }
}
