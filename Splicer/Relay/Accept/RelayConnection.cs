using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Splicer.Endings;
using Splicer.Governance;

namespace Splicer.Accept;

/// <summary>
/// One accepted client socket and what is known of it, from accept to close. It ends exactly once:
/// either here, by an <see cref="Ending"/> that it applies and records, or by being handed to a
/// session, which then owns its close and its record.
/// </summary>
internal sealed partial class RelayConnection
{
    private static readonly TimeSpan LingerTime = TimeSpan.FromSeconds(2);
    private const int LingerBytes = 64 * 1024;

    private readonly IDisposable _admission;
    private readonly IEndingRecorder _recorder;
    private string? _remoteText;
    private int _state = (int)ConnectionState.Open;

    public RelayConnection(long id, Socket socket, IPEndPoint remote, IDisposable admission, IEndingRecorder recorder)
    {
        Id = id;
        Socket = socket;
        Remote = remote;
        _admission = admission;
        _recorder = recorder;
        AcceptedAt = Stopwatch.GetTimestamp();
    }

    public long Id { get; }

    public Socket Socket { get; }

    public IPEndPoint Remote { get; }

    /// <summary>The remote endpoint as text, made once: the admin reads it every second for every session.</summary>
    public string RemoteText => _remoteText ??= Remote.ToString();

    public long AcceptedAt { get; }

    /// <summary>
    /// What the relay keeps of the handshake: the token's shown prefix and the side, not the whole
    /// token, which only the rendezvous needs and which a long session would otherwise carry twice.
    /// </summary>
    public string? TokenPrefix { get; private set; }

    public string? Side { get; private set; }

    /// <summary>Whom the connection serves and what its door allows; null in <c>Open</c> mode.</summary>
    public AccessGrant? Grant { get; private set; }

    /// <summary>
    /// The client spoke the native handshake: it was answered <c>ok …</c> already, and hears
    /// <c>paired</c> when its partner arrives (a wormhole client hears <c>ok</c> then).
    /// </summary>
    public bool IsNative { get; private set; }

    /// <summary>
    /// Endpoints the client announced besides the one the relay sees, when it asked the relay to broker a direct
    /// path to its partner (the native line's <c>punch</c> field); null when it did not ask.
    /// </summary>
    public IReadOnlyList<IPEndPoint>? PunchCandidates { get; private set; }

    public TimeSpan Age => Stopwatch.GetElapsedTime(AcceptedAt);

    public void Identify(string tokenPrefix, string? side)
    {
        TokenPrefix = tokenPrefix;
        Side = side;
    }

    /// <summary>Records what the access check let in, once, at the handshake.</summary>
    public void Admit(AccessGrant? grant, bool isNative, IReadOnlyList<IPEndPoint>? punchCandidates = null)
    {
        Grant = grant;
        IsNative = isNative;
        PunchCandidates = punchCandidates;
    }

    /// <summary>Hands the connection to a session, which closes and records it; false if it already ended.</summary>
    public bool TryJoinSession() => TryMove(ConnectionState.InSession);

    /// <summary>Takes back a connection that joined a session which then could not start, so it can be ended here.</summary>
    public void LeaveSession() => Interlocked.CompareExchange(ref _state, (int)ConnectionState.Open, (int)ConnectionState.InSession);

    /// <summary>
    /// Applies <paramref name="ending"/>: replies, closes as it says, records. Only the first ending
    /// of a connection that is not in a session applies; false for any later one.
    /// </summary>
    public async ValueTask<bool> EndAsync(Ending ending)
    {
        if (!TryMove(ConnectionState.Ended))
        {
            return false;
        }

        var replied = false;
        try
        {
            if (Transport is { } transport)
            {
                replied = true;
                await EndTransportAsync(transport, ending);
            }
            else if (ending.Closing == Closing.ReplyThenLinger && TrySendLine(ending.Reply.Span))
            {
                replied = true;
                await LingerAsync();
            }
        }
        finally
        {
            Finish(ending, replied);
        }

        return true;
    }

    /// <summary>As <see cref="EndAsync"/> without waiting: a reply is sent, but not lingered over (the accept path, where fds are short).</summary>
    public bool End(Ending ending)
    {
        if (!TryMove(ConnectionState.Ended))
        {
            return false;
        }

        Finish(ending, replied: false);
        return true;
    }

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

    /// <summary>Closes a connection that a session owns: with a FIN, or a reset so the peer learns at once.</summary>
    public void CloseInSession(Closing closing) => Close(closing);

    /// <summary>The one way every ending closes, in and out of a session.</summary>
    private void Close(Closing closing)
    {
        if (closing == Closing.Reset)
        {
            SetResetOnClose();
        }
        else if (Transport is null)
        {
            ShutdownSend();
        }

        Release();
    }

    /// <summary>
    /// Every graceful close says FIN first (again where a reply did already, which is harmless). A socket
    /// disposed without it while another thread still holds its handle (a partner's wake-up, the sweeper)
    /// is closed abortively by .NET on Unix: the peer gets a reset.
    /// </summary>
    private void ShutdownSend()
    {
        try
        {
            Socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The client left already; the close follows.
        }
    }

    private void Finish(Ending ending, bool replied)
    {
        if (ending.Closing != Closing.Reset && ending.HasReply && !replied && Transport is null)
        {
            ReplyAndShutdown(ending.Reply.Span);
        }

        Close(ending.Closing);
        _recorder.Record(new ConnectionRecord(Id, TokenPrefix, Side, Remote, Age, ending, Grant?.DoorId, Grant?.IdentityId));
    }

    /// <summary>Sends the line and a FIN, and drops what already arrived unread, which would turn the close into a reset.</summary>
    private void ReplyAndShutdown(ReadOnlySpan<byte> reply)
    {
        try
        {
            if (TrySendLine(reply))
            {
                Socket.Shutdown(SocketShutdown.Send);
                Span<byte> scratch = stackalloc byte[512];
                for (var rounds = 0; rounds < 8 && Socket.Available > 0; rounds++)
                {
                    Socket.Receive(scratch, SocketFlags.None);
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The client left already; the close follows.
        }
    }

    private async Task LingerAsync()
    {
        var scratch = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            Socket.Shutdown(SocketShutdown.Send);
            using var timeout = new CancellationTokenSource(LingerTime);
            for (var discarded = 0; discarded < LingerBytes;)
            {
                var received = await Socket.ReceiveAsync(scratch, SocketFlags.None, timeout.Token);
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

    private void SetResetOnClose()
    {
        try
        {
            Socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already torn down by the peer; the dispose is all that is left to do.
        }
    }

    private void Release()
    {
        Transport?.Dispose();
        Socket.Dispose();
        _admission.Dispose();
    }

    private bool TryMove(ConnectionState to) =>
        Interlocked.CompareExchange(ref _state, (int)to, (int)ConnectionState.Open) == (int)ConnectionState.Open;

    private enum ConnectionState
    {
        Open,
        Ended,
        InSession,
    }
}
