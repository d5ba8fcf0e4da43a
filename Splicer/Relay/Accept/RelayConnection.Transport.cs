using System.Buffers;
using System.Net.Sockets;
using Splicer.Endings;

namespace Splicer.Accept;

/// <summary>The connection's bytes, through its transport when it has one, else straight on the socket.</summary>
internal sealed partial class RelayConnection
{
    /// <summary>TLS or WebSocket, set by the transport stage; null for plain TCP.</summary>
    public IConnectionTransport? Transport { get; private set; }

    /// <summary>The bounded label the metrics and the admin use: <c>tcp</c>, <c>tls</c>, <c>ws</c> or <c>wss</c>.</summary>
    public string TransportName => Transport?.Name ?? PlainTransport;

    public const string PlainTransport = "tcp";

    /// <summary>Every transport label there is, so metrics can show zeros rather than gaps.</summary>
    public static readonly IReadOnlyList<string> TransportNames = [PlainTransport, "tls", "ws", "wss"];

    /// <summary>
    /// Puts the connection behind <paramref name="transport"/>, before the handshake; a WebSocket over
    /// TLS replaces the TLS transport it runs over, and owns it from then on.
    /// </summary>
    public void Wrap(IConnectionTransport transport) => Transport = transport;

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        Transport?.ReadAsync(buffer, cancellationToken) ?? Socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);

    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (Transport is { } transport)
        {
            await transport.WriteAsync(data, cancellationToken);
            return;
        }

        while (!data.IsEmpty)
        {
            var sent = await Socket.SendAsync(data, SocketFlags.None, cancellationToken);
            data = data[sent..];
        }
    }

    /// <summary>Passes a finished direction's end on: a FIN on plain TCP, the transport's own close otherwise.</summary>
    public ValueTask CloseSendingAsync(CancellationToken cancellationToken)
    {
        if (Transport is { } transport)
        {
            return transport.CloseSendingAsync(cancellationToken);
        }

        Socket.Shutdown(SocketShutdown.Send);
        return ValueTask.CompletedTask;
    }

    /// <summary>As <see cref="TrySendLine"/>, through the transport when there is one (a binary message on a WebSocket).</summary>
    public async ValueTask<bool> TrySendLineAsync(ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        if (Transport is null)
        {
            return TrySendLine(line.Span);
        }

        try
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(LingerTime);
            await Transport.WriteAsync(line, bounded.Token);
            return true;
        }
        catch (Exception ex) when (IsGone(ex))
        {
            return false;
        }
    }

    /// <summary>
    /// An ending through a transport: the reply (a message on a WebSocket), the transport's own close
    /// (a Close frame, or close_notify and a FIN), and the linger, all within the linger time, as a
    /// client that does not read must not hold the relay.
    /// </summary>
    private async Task EndTransportAsync(IConnectionTransport transport, Ending ending)
    {
        if (ending.Closing == Closing.Reset)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(LingerTime);
        try
        {
            if (ending.HasReply)
            {
                await transport.WriteAsync(ending.Reply, timeout.Token);
            }

            await transport.CloseSendingAsync(timeout.Token);
            if (ending.Closing == Closing.ReplyThenLinger)
            {
                await DiscardUntilClosedAsync(transport, timeout.Token);
            }
        }
        catch (Exception ex) when (IsGone(ex))
        {
            // The client left or dawdled; either way the close follows.
        }
    }

    private static async Task DiscardUntilClosedAsync(IConnectionTransport transport, CancellationToken cancellationToken)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            for (var discarded = 0; discarded < LingerBytes;)
            {
                var received = await transport.ReadAsync(scratch, cancellationToken);
                if (received == 0)
                {
                    return;
                }

                discarded += received;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static bool IsGone(Exception ex) =>
        ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException;
}
