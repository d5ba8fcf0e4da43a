using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Splicer.Tests.Client.PortMapping;

/// <summary>
/// The least STUN server (RFC 5389 Binding) that satisfies miniupnpd's start-up check: every request is answered from
/// the same address with the source it came from, so the router learns that its WAN address is reachable as is.
/// miniupnpd wants this because the lab's WAN address is a documentation one, which it would otherwise refuse to map.
/// </summary>
internal sealed class StunResponder : IAsyncDisposable
{
    private const uint MagicCookie = 0x2112A442;
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _answering;

    public StunResponder(Socket socket, IPEndPoint listen)
    {
        _socket = socket;
        _socket.Bind(listen);
        _answering = AnswerAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _answering;
        _stop.Dispose();
    }

    private async Task AnswerAsync()
    {
        var buffer = new byte[1500];
        try
        {
            while (true)
            {
                var received = await _socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                if (received.ReceivedBytes >= 20)
                {
                    await _socket.SendToAsync(Answer(buffer.AsSpan(8, 12), (IPEndPoint)received.RemoteEndPoint), received.RemoteEndPoint, _stop.Token);
                }
            }
        }
        catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private static byte[] Answer(ReadOnlySpan<byte> transaction, IPEndPoint source)
    {
        var answer = new byte[32];
        BinaryPrimitives.WriteUInt16BigEndian(answer, 0x0101);
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(2), 12);
        BinaryPrimitives.WriteUInt32BigEndian(answer.AsSpan(4), MagicCookie);
        transaction.CopyTo(answer.AsSpan(8));
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(20), 0x0020);
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(22), 8);
        answer[25] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(26), (ushort)(source.Port ^ (MagicCookie >> 16)));
        BinaryPrimitives.WriteUInt32BigEndian(answer.AsSpan(28), BinaryPrimitives.ReadUInt32BigEndian(source.Address.GetAddressBytes()) ^ MagicCookie);
        return answer;
    }
}
