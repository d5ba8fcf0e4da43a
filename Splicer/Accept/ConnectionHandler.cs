using Microsoft.Extensions.Logging;
using Splicer.Handshake;
using Splicer.Rendezvous;

namespace Splicer.Accept;

/// <summary>Takes an accepted connection through the stages: handshake, then rendezvous (which splices a pair).</summary>
internal sealed partial class ConnectionHandler(
    HandshakeStage handshake,
    RendezvousStage rendezvous,
    ILogger<ConnectionHandler> logger)
{
    public async Task HandleAsync(RelayConnection connection, CancellationToken stopping)
    {
        try
        {
            var request = await handshake.ReadAsync(connection, stopping);
            if (request is not null)
            {
                await rendezvous.JoinAsync(connection, request, stopping);
            }
        }
        catch (Exception ex)
        {
            LogUnexpected(logger, ex, connection.Id, connection.Remote);
            connection.Abort();
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Connection {ConnectionId} from {Remote} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, long connectionId, object remote);
}
