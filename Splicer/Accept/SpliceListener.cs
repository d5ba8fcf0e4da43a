using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Splicer.Accounting;
using Splicer.Hosting;
using Splicer.Splice;

namespace Splicer.Accept;

/// <summary>
/// The splice port: its own socket accept loop (not Kestrel's transport, so that a later stage may
/// own the socket outright), the connection limits, and the drain at stop.
/// </summary>
internal sealed partial class SpliceListener(
    IOptions<SplicerOptions> options,
    ConnectionGate gate,
    ConnectionHandler handler,
    SessionRegistry sessions,
    ConnectionCloser closer,
    StageCounters counters,
    ILogger<SpliceListener> logger) : BackgroundService
{
    private readonly SplicerOptions _options = options.Value;
    private Socket? _listener;
    private long _nextConnectionId;

    public IPEndPoint? LocalEndPoint { get; private set; }

    public bool IsListening => _listener is not null && !sessions.IsDraining;

    public long Accepted => counters.Accepted;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _listener = Bind();
        LocalEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        LogListening(logger, LocalEndPoint, _listener.DualMode ? "IPv4 and IPv6" : LocalEndPoint.AddressFamily.ToString());
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        var draining = sessions.Count;
        _listener?.Dispose();
        await base.StopAsync(cancellationToken);
        LogDraining(logger, draining, _options.DrainTimeout);
        await sessions.DrainAsync(_options.DrainTimeout, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listener = _listener!;
        while (!stoppingToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // Transient (e.g. the file descriptor limit); the loop goes on so the relay keeps serving.
                LogAcceptFailed(logger, ex.SocketErrorCode);
                continue;
            }

            counters.CountAccepted();
            Admit(socket, stoppingToken);
        }
    }

    private void Admit(Socket socket, CancellationToken stoppingToken)
    {
        var remote = Normalize((IPEndPoint)socket.RemoteEndPoint!);
        var id = Interlocked.Increment(ref _nextConnectionId);
        if (!gate.TryAdmit(remote.Address, out var admission, out var refusal))
        {
            counters.Count(HandshakeVerdict.Refused);
            closer.Refuse(new RelayConnection(id, socket, remote, admission), refusal);
            return;
        }

        var connection = new RelayConnection(id, socket, remote, admission);
        try
        {
            SocketTuning.Apply(socket, _options.KeepAlive);
        }
        catch (SocketException)
        {
            // The peer is already gone; the handshake will find that out and record it.
        }

        _ = handler.HandleAsync(connection, stoppingToken);
    }

    private Socket Bind()
    {
        var address = _options.ListenAddress;
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

            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(address, _options.Port));
            socket.Listen(_options.Backlog);
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new InvalidOperationException(
                $"Cannot listen on {new IPEndPoint(address, _options.Port)} (Splicer:Address, Splicer:Port): {ex.Message}", ex);
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
}
