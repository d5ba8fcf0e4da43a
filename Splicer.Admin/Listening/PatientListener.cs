using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Splicer.Admin.Hosting;

namespace Splicer.Admin.Listening;

/// <summary>
/// One bound admin socket. Out of file descriptors, accept fails while the client stays queued, so an
/// immediate retry fails again: wait (doubling from 10 ms to 1 s) and log once a minute while it lasts.
/// A client that left while queued is simply skipped.
/// </summary>
internal sealed partial class PatientListener(
    Socket socket,
    bool noDelay,
    SocketConnectionContextFactory connections,
    ILogger<PatientListener> logger) : IConnectionListener
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LogInterval = TimeSpan.FromMinutes(1);

    private TimeSpan _pause = FirstPause;
    private long _lastLoggedAt = long.MinValue;
    private long _refusedSinceLog;

    public EndPoint EndPoint { get; } = socket.LocalEndPoint!;

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            try
            {
                var accepted = await socket.AcceptAsync(cancellationToken);
                _pause = FirstPause;
                accepted.NoDelay = noDelay;

                return connections.Create(accepted);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException)
            {
                return null;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.OperationAborted)
            {
                return null;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable)
            {
                if (!await PauseAsync(ex.SocketErrorCode, cancellationToken))
                {
                    return null;
                }
            }
            catch (SocketException)
            {
                // The client reset while it was queued; take the next one.
            }
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        socket.Dispose();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        socket.Dispose();
        connections.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <returns>False when the listener is stopping.</returns>
    private async Task<bool> PauseAsync(SocketError error, CancellationToken cancellationToken)
    {
        _refusedSinceLog++;
        var now = Environment.TickCount64;
        if (_lastLoggedAt == long.MinValue || now - _lastLoggedAt >= (long)LogInterval.TotalMilliseconds)
        {
            LogCannotAccept(logger, EndPoint, error, _refusedSinceLog, _pause);
            _lastLoggedAt = now;
            _refusedSinceLog = 0;
        }

        try
        {
            await Task.Delay(_pause, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        _pause = TimeSpan.FromTicks(Math.Min(_pause.Ticks * 2, LongestPause.Ticks));
        return true;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "Admin listener {EndPoint} cannot accept ({Error}; {Failures} failed tries since the last line): the process is out of file descriptors; waiting {Pause} before the next try")]
    private static partial void LogCannotAccept(ILogger logger, EndPoint endPoint, SocketError error, long failures, TimeSpan pause);
}
