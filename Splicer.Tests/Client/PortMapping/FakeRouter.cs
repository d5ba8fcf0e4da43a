using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Splicer.Tests.Client.PortMapping;

/// <summary>
/// A stand-in for a router's PCP/NAT-PMP port on loopback: every request is recorded and answered by the test's
/// function (null: silence), so a test can play a router that maps, refuses, lies or says nothing.
/// </summary>
internal sealed class FakeRouter : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Func<byte[], byte[]?> _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _answering;

    public FakeRouter(Func<byte[], byte[]?> answer)
    {
        _answer = answer;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _answering = AnswerAsync();
    }

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public ConcurrentQueue<byte[]> Requests { get; } = new();

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
                if (_answer(request) is { } answer)
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
