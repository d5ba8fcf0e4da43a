using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Splicer.Admin.Hosting;

namespace Splicer.Admin.Listening;

/// <summary>
/// Kestrel's transport for the admin's TCP addresses, with an accept loop that waits instead of
/// spinning when the process is out of file descriptors (Kestrel's own retries accept at once, forever,
/// which under a flood burns a core and allocates without bound). Other kinds of endpoint (a Unix
/// socket, a handle from systemd) it leaves to Kestrel's own socket transport, which Kestrel asks next.
/// </summary>
internal sealed class PatientListenerFactory(
    IOptions<SocketTransportOptions> options,
    ILoggerFactory loggers) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var transport = options.Value;
        var socket = transport.CreateBoundListenSocket(endpoint);
        try
        {
            socket.Listen(transport.Backlog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var connections = new SocketConnectionContextFactory(
            new SocketConnectionFactoryOptions
            {
                IOQueueCount = transport.IOQueueCount,
                WaitForDataBeforeAllocatingBuffer = transport.WaitForDataBeforeAllocatingBuffer,
                MaxReadBufferSize = transport.MaxReadBufferSize,
                MaxWriteBufferSize = transport.MaxWriteBufferSize,
                UnsafePreferInlineScheduling = transport.UnsafePreferInlineScheduling,
            },
            loggers.CreateLogger<SocketConnectionContextFactory>());
        IConnectionListener listener = new PatientListener(socket, transport.NoDelay, connections, loggers.CreateLogger<PatientListener>());
        return ValueTask.FromResult(listener);
    }
}
