using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Splicer.Client.PortMapping;

/// <summary>
/// One request and its answer over UDP to the router (PCP and NAT-PMP): the request is sent again on RFC 6887's
/// doubling schedule, shortened so that a silent router costs at most <paramref name="timeout"/>. The socket is
/// connected, so a router with nothing on the port (an ICMP port unreachable) ends the wait at once.
/// </summary>
internal sealed class UdpExchange(IPEndPoint server, TimeSpan timeout) : IDisposable
{
    /// <summary>PCP's largest message (RFC 6887 section 7): anything longer is not an answer.</summary>
    private const int LargestAnswer = 1100;

    private static readonly TimeSpan FirstResend = TimeSpan.FromMilliseconds(200);

    private readonly Socket _socket = new(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);

    /// <summary>The address this host speaks to the router from (PCP carries it in its requests).</summary>
    public IPAddress LocalAddress { get; private set; } = IPAddress.None;

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _socket.ConnectAsync(server, cancellationToken);
        }
        catch (SocketException error)
        {
            throw new PortMappingException($"no route to the router at {server.Address}: {error.SocketErrorCode}");
        }

        LocalAddress = ((IPEndPoint)_socket.LocalEndPoint!).Address;
    }

    public async Task<T> ExchangeAsync<T>(ReadOnlyMemory<byte> request, Func<ReadOnlyMemory<byte>, DatagramAnswer<T>> read, CancellationToken cancellationToken)
        where T : class
    {
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        overall.CancelAfter(timeout);
        var buffer = ArrayPool<byte>.Shared.Rent(LargestAnswer + 1);
        var lastPassedOver = new StrongBox<string?>();
        try
        {
            for (var resend = FirstResend; !overall.IsCancellationRequested; resend *= 2)
            {
                if (await SendAndAwaitAsync(request, read, buffer, lastPassedOver, resend, overall.Token, cancellationToken) is { } value)
                {
                    return value;
                }
            }

            var waited = $"{timeout.TotalSeconds:0.#}s";
            throw new PortMappingException(lastPassedOver.Value is { } last
                ? $"no usable answer from {server} within {waited} (the last was {last})"
                : $"no answer from {server} within {waited}");
        }
        catch (SocketException error) when (error.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
        {
            throw new PortMappingException($"nothing listens on {server} (port unreachable)");
        }
        catch (SocketException error)
        {
            throw new PortMappingException($"could not talk to {server}: {error.SocketErrorCode}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Sends the request once and reads answers until one is taken (returned) or refused (thrown); null when <paramref name="resend"/> passed first.</summary>
    private async Task<T?> SendAndAwaitAsync<T>(
        ReadOnlyMemory<byte> request, Func<ReadOnlyMemory<byte>, DatagramAnswer<T>> read, byte[] buffer, StrongBox<string?> lastPassedOver,
        TimeSpan resend, CancellationToken overall, CancellationToken cancellationToken)
        where T : class
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(overall);
        wait.CancelAfter(resend);
        try
        {
            await _socket.SendAsync(request, wait.Token);
            while (true)
            {
                var length = await _socket.ReceiveAsync(buffer, wait.Token);
                var answer = length > LargestAnswer ? DatagramAnswer<T>.Ignore($"an oversized packet ({length} bytes)") : read(buffer.AsMemory(0, length));
                if (answer.Value is { } value)
                {
                    return value;
                }

                lastPassedOver.Value = answer.Refused is { } refused ? throw new PortMappingException(refused) : answer.Ignored;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public void Dispose() => _socket.Dispose();
}
