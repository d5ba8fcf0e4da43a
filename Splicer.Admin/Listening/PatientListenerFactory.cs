using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Splicer.Admin.Listening;

/// <summary>
/// Kestrel's transport for the admin's TCP addresses, with an accept loop that waits instead of
/// spinning when the process is out of file descriptors (Kestrel's own retries accept at once, forever,
/// which under a flood burns a core and allocates without bound). Other kinds of endpoint go to
/// Kestrel's socket transport unchanged.
/// </summary>
internal sealed class PatientListenerFactory(
    IOptions<SocketTransportOptions> options,
    ILoggerFactory loggers) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    private readonly SocketTransportFactory _kestrels = new(options, loggers);

    public bool CanBind(EndPoint endpoint) => true;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        if (endpoint is not IPEndPoint)
        {
            return _kestrels.BindAsync(endpoint, cancellationToken);
        }

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
        IConnectionListener listener = new PatientListener(socket, connections, loggers.CreateLogger<PatientListener>());
        return ValueTask.FromResult(listener);
    }
}
