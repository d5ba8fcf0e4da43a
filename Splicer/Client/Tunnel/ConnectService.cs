using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Splicer.Client.Failures;
using Splicer.Client.Framing;
using Splicer.Client.Paths;
using Splicer.Client.Paths.RelayLeg;

namespace Splicer.Client.Tunnel;

/// <summary>
/// <c>splicer connect CODE --listen PORT</c>: listens on loopback; meets the <c>expose</c> on the lobby token and
/// keeps that session (re-made when it breaks, as after a relay restart); every local connection is given the
/// next number, announced on the session, and paired through the relay on its own token.
/// </summary>
public sealed class ConnectService(RelayTarget relay, TunnelCode code, Socket listener) : IAsyncDisposable
{
    private readonly SemaphoreSlim _announce = new(1, 1);
    private readonly Lock _lock = new();
    private Task<ExposeSession>? _session;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _ = CurrentAsync(cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            var local = await listener.AcceptAsync(cancellationToken);
            local.NoDelay = true;
            _ = HandleAsync(local, cancellationToken);
        }
    }

    private async Task HandleAsync(Socket local, CancellationToken cancellationToken)
    {
        try
        {
            var (session, number) = await AnnounceAsync(cancellationToken);
            var peer = await PeerLink.OpenAsync(relay, code.Keys, TunnelCode.ConnectionPurpose(session.Id, number), encrypted: true, cancellationToken, code.ConnectSide);
            await TunnelSplice.RunAsync(peer, local, cancellationToken);
        }
        catch (Exception error) when (error is ClientFailure or IOException or SocketException or OperationCanceledException)
        {
            local.Close(0);
            Console.Error.WriteLine($"A connection ended: {error.Message}");
        }
    }

    /// <summary>Tells the expose side which connection comes next, on a working session (a new one if the last broke).</summary>
    private async Task<(ExposeSession Session, long Number)> AnnounceAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var session = await CurrentAsync(cancellationToken);
            var number = session.Next();
            var bytes = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(bytes, number);
            await _announce.WaitAsync(cancellationToken);
            try
            {
                await session.Control.WriteAsync(bytes, cancellationToken);
                return (session, number);
            }
            catch (Exception error) when (error is ClientFailure or IOException or SocketException)
            {
                Forget(session);
            }
            finally
            {
                _announce.Release();
            }
        }
    }

    private Task<ExposeSession> CurrentAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _session ??= MeetAsync(cancellationToken);
        }
    }

    private void Forget(ExposeSession session)
    {
        lock (_lock)
        {
            if (_session is { IsCompletedSuccessfully: true } current && current.Result == session)
            {
                _session = null;
            }
        }

        session.Control.Dispose();
    }

    private async Task<ExposeSession> MeetAsync(CancellationToken cancellationToken)
    {
        var backoff = new Backoff();
        while (true)
        {
            try
            {
                var control = await PeerLink.OpenAsync(relay, code.Keys, TunnelCode.LobbyPurpose, encrypted: true, cancellationToken, code.ConnectSide, mayGoDirect: false);
                var id = new byte[TunnelCode.SessionLength];
                await control.ReadExactlyAsync(id, cancellationToken);
                var session = new ExposeSession(control, id);
                _ = WatchAsync(session, cancellationToken);
                Console.Error.WriteLine("Met the expose side.");
                return session;
            }
            catch (Exception error) when (error is RelayUnreachableException or WaitingEndedException or StreamIntegrityException or EndOfStreamException
                || (error is RelayRefusedException refused && Backoff.IsPassing(refused)))
            {
                await backoff.WaitAsync(error.Message, cancellationToken);
            }
        }
    }

    /// <summary>The expose side never writes after the session id: any end of the control stream means the session is gone.</summary>
    private async Task WatchAsync(ExposeSession session, CancellationToken cancellationToken)
    {
        try
        {
            _ = await session.Control.ReadAtLeastAsync(new byte[1], 1, throwOnEndOfStream: false, cancellationToken);
        }
        catch (Exception error) when (error is ClientFailure or IOException or SocketException or ObjectDisposedException)
        {
        }

        Forget(session);
        if (!cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine("Lost the expose side; meeting it again.");
            _ = CurrentAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        listener.Dispose();
        if (_session is { IsCompletedSuccessfully: true } session)
        {
            await session.Result.Control.DisposeAsync();
        }

        _announce.Dispose();
    }

    /// <summary>A session with the expose side: the control stream, its id, and the numbers given out so far.</summary>
    private sealed class ExposeSession(PeerStream control, byte[] id)
    {
        private long _next = -1;

        public PeerStream Control { get; } = control;

        public byte[] Id { get; } = id;

        public long Next() => Interlocked.Increment(ref _next);
    }

    /// <summary>A listener on loopback at <paramref name="port"/> (0: a free one).</summary>
    public static Socket Listen(int port, out int bound)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            socket.Listen(512);
            bound = ((IPEndPoint)socket.LocalEndPoint!).Port;
            return socket;
        }
        catch (SocketException error)
        {
            socket.Dispose();
            throw new ClientFailure($"cannot listen on 127.0.0.1:{port}: {error.Message}");
        }
    }
}
