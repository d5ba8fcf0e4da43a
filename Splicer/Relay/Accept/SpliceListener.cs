using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;
using Splicer.Endings;
using Splicer.Options;

namespace Splicer.Accept;

/// <summary>
/// The splice port: its own socket accept loop (not Kestrel's transport, so that a later stage may
/// own the socket outright), the connection limits, the file descriptor limit, and the drain at stop.
/// The drain runs while the host is stopping and before any service stops, so the admin keeps
/// answering (<c>/readyz</c> says 503) until the last session has finished.
/// </summary>
internal sealed partial class SpliceListener(
    IOptions<SplicerOptions> options,
    ConnectionGate gate,
    DescriptorBudget descriptors,
    IConnectionStage firstStage,
    ISessionDrain sessions,
    IEndingRecorder recorder,
    StageCounters counters,
    DeadlineSweeper deadlines,
    ILogger<SpliceListener> logger) : IHostedLifecycleService, IDisposable
{
    private readonly SplicerOptions _options = options.Value;
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private SafeFileHandle? _reserve;
    private Task _acceptLoop = Task.CompletedTask;
    private long _nextConnectionId;
    private bool _outOfDescriptors;

    public IPEndPoint? LocalEndPoint { get; private set; }

    public bool IsListening => _listener is not null && !_stopping.IsCancellationRequested;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (descriptors.IsClamped)
        {
            LogClamped(logger, descriptors.Configured, descriptors.Limit!.Value, descriptors.MaxConnections, descriptors.OpenAtStart,
                DescriptorBudget.Headroom + DescriptorBudget.PipeReserve);
        }

        _reserve = TryOpenReserve();
        _listener ??= BindSocket();
        LocalEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        LogListening(logger, LocalEndPoint, _listener.DualMode ? "IPv4 and IPv6" : LocalEndPoint.AddressFamily.ToString());
        _acceptLoop = AcceptLoopAsync(_listener, _stopping.Token);
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var draining = sessions.Count;
        await _stopping.CancelAsync();
        deadlines.ExpireAll();
        _listener?.Dispose();
        await _acceptLoop;
        LogDraining(logger, draining, _options.DrainTimeout);
        await sessions.DrainAsync(_options.DrainTimeout, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _listener?.Dispose();
        _reserve?.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken stopping)
    {
        await Task.Yield();
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(stopping);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.TooManyOpenSockets)
            {
                await ShedOneAsync(listener, stopping);
                continue;
            }
            catch (SocketException ex)
            {
                // Transient (the client left while queued); the loop goes on so the relay keeps serving.
                LogAcceptFailed(logger, ex.SocketErrorCode);
                continue;
            }

            _outOfDescriptors = false;
            counters.CountAccepted();
            Admit(socket, stopping);
        }
    }

    private void Admit(Socket socket, CancellationToken stopping)
    {
        var remote = Normalize((IPEndPoint)socket.RemoteEndPoint!);
        var id = Interlocked.Increment(ref _nextConnectionId);
        if (!gate.TryAdmit(remote.Address, out var admission, out var refusal))
        {
            new RelayConnection(id, socket, remote, admission, recorder).End(refusal);
            return;
        }

        var connection = new RelayConnection(id, socket, remote, admission, recorder);
        if (!SocketTuning.InheritedFromListener)
        {
            try
            {
                SocketTuning.Apply(socket, _options.KeepAlive);
            }
            catch (SocketException)
            {
                // The peer is already gone; the handshake will find that out and record it.
            }
        }

        _ = RunStagesAsync(connection, stopping);
    }

    /// <summary>Runs the stages; whatever escapes them still ends the connection, recorded, with a reset.</summary>
    private async Task RunStagesAsync(RelayConnection connection, CancellationToken stopping)
    {
        try
        {
            await firstStage.RunAsync(connection, stopping);
        }
        catch (Exception ex)
        {
            LogUnexpected(logger, ex, connection.Id, connection.Remote);
            await connection.EndAsync(Ends.Unexpected(ex));
        }
    }

    /// <summary>
    /// Out of file descriptors, the queued client cannot be accepted, and accept would fail again at
    /// once. As nginx and HAProxy do, free a descriptor held in reserve, accept one client, tell it
    /// why and close it, then take the reserve back; without a reserve, wait a moment instead of spinning.
    /// </summary>
    private async Task ShedOneAsync(Socket listener, CancellationToken stopping)
    {
        counters.CountOutOfDescriptors();
        if (!_outOfDescriptors)
        {
            _outOfDescriptors = true;
            LogOutOfDescriptors(logger, DescriptorBudget.CurrentLimit() ?? 0, gate.Open);
        }

        if (_reserve is null)
        {
            _reserve = TryOpenReserve();
            await WaitAsync(TimeSpan.FromMilliseconds(100), stopping);
            return;
        }

        _reserve.Dispose();
        _reserve = null;
        try
        {
            // A client is queued (that is what failed), so this returns at once unless it just left.
            using var shortly = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            shortly.CancelAfter(TimeSpan.FromMilliseconds(100));
            var socket = await listener.AcceptAsync(shortly.Token);
            counters.CountAccepted();
            var remote = Normalize((IPEndPoint)socket.RemoteEndPoint!);
            var connection = new RelayConnection(Interlocked.Increment(ref _nextConnectionId), socket, remote, ConnectionGate.NoPlace, recorder);
            connection.End(Ends.Refused(Refusal.RelayFull, "out of file descriptors"));
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Someone else took the freed descriptor, the client left, or the relay is stopping; the loop decides.
        }
        finally
        {
            _reserve = TryOpenReserve();
        }
    }

    private static async Task WaitAsync(TimeSpan delay, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(delay, stopping);
        }
        catch (OperationCanceledException)
        {
            // Stopping; the loop ends.
        }
    }

    private static SafeFileHandle? TryOpenReserve()
    {
        try
        {
            return File.OpenHandle("/dev/null");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Binds the splice port now, before the host starts: a taken port is then one line, not a failed start.</summary>
    public void Bind() => _listener ??= BindSocket();

    private Socket BindSocket()
    {
        var address = _options.ListenAddress();
        if (address.Equals(IPAddress.IPv6Any) && !Socket.OSSupportsIPv6)
        {
            // A box with IPv6 switched off still serves IPv4 on the default address.
            address = IPAddress.Any;
        }

        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            ReuseAddressOnly(socket);
            socket.Bind(new IPEndPoint(address, _options.Port));
            socket.Listen(_options.Backlog);
            if (SocketTuning.InheritedFromListener)
            {
                SocketTuning.Apply(socket, _options.KeepAlive);
            }

            return socket;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            socket.Dispose();
            throw new PortInUseException(_options.Port, ex);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new InvalidOperationException(
                $"Cannot listen on {new IPEndPoint(address, _options.Port)} (Splicer:Address, Splicer:Port): {ex.Message}", ex);
        }
    }

    /// <summary>
    /// SO_REUSEADDR alone, so a restart binds at once over connections in TIME_WAIT. Not .NET's ReuseAddress:
    /// on Linux that sets SO_REUSEPORT too, and a second relay would bind the same port and take half the
    /// connections, so two sides of a pair could land on different processes and never meet.
    /// </summary>
    private static void ReuseAddressOnly(Socket socket)
    {
        const int SolSocket = 1, SoReuseAddr = 2; // Linux
        if (OperatingSystem.IsLinux())
        {
            socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
        }
    }

    private static IPEndPoint Normalize(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Splice listener bound to {EndPoint} ({Families})")]
    private static partial void LogListening(ILogger logger, IPEndPoint endPoint, string families);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Accept failed: {Error}")]
    private static partial void LogAcceptFailed(ILogger logger, SocketError error);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Stopped accepting; draining {Sessions} sessions for up to {DrainTimeout}")]
    private static partial void LogDraining(ILogger logger, int sessions, TimeSpan drainTimeout);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning,
        Message = "Splicer:MaxConnections {Configured} does not fit the open-files limit {Limit}; using {Effective} (the limit less {OpenAtStart} open at start and {Reserved} kept for the admin, state files and the kernel path's pipes). Raise LimitNOFILE to allow more.")]
    private static partial void LogClamped(ILogger logger, int configured, ulong limit, int effective, int openAtStart, int reserved);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning,
        Message = "Out of file descriptors (limit {Limit}, {Open} relayed connections open): refusing new clients with a line until descriptors free up")]
    private static partial void LogOutOfDescriptors(ILogger logger, ulong limit, int open);

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Connection {ConnectionId} from {Remote} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, long connectionId, object remote);
}
