using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Splicer.Tests.Client.PortMapping;

/// <summary>
/// A UDP server played by a function: every datagram is recorded and answered with what the function returns for
/// it and its source (null: silence). On loopback it plays a router's PCP/NAT-PMP port that maps, refuses, lies or
/// says nothing; in the lab's WAN namespace it answers miniupnpd's STUN check.
/// </summary>
internal sealed class UdpResponder : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Func<byte[], IPEndPoint, byte[]?> _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _answering;

    public UdpResponder(Socket socket, IPEndPoint listen, Func<byte[], IPEndPoint, byte[]?> answer)
    {
        _socket = socket;
        _answer = answer;
        _socket.Bind(listen);
        _answering = AnswerAsync();
    }

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public ConcurrentQueue<byte[]> Requests { get; } = new();

    /// <summary>A responder on a free loopback port.</summary>
    public static UdpResponder OnLoopback(Func<byte[], byte[]?> answer) =>
        new(new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp), new IPEndPoint(IPAddress.Loopback, 0), (request, _) => answer(request));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _answering;
        _stop.Dispose();
    }

    private async Task AnswerAsync()
    {
        var buffer = new byte[2048];
        try
        {
            while (true)
            {
                var received = await _socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                var request = buffer[..received.ReceivedBytes];
                Requests.Enqueue(request);
                if (_answer(request, (IPEndPoint)received.RemoteEndPoint) is { } answer)
                {
                    await _socket.SendToAsync(answer, received.RemoteEndPoint, _stop.Token);
                }
            }
        }
        catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }
}
