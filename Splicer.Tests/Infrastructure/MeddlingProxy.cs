using System.Net;
using System.Net.Sockets;

namespace Splicer.Tests.Infrastructure;

/// <summary>
/// A relay in the middle that misbehaves on purpose: it stands in front of a real relay and forwards every
/// connection, but in the client-to-relay direction it can flip one byte at an offset, or pass on a number of
/// bytes and then a FIN, as a relay that dies mid-transfer looks to a reader of a plain stream, or pass on a number
/// of bytes and then hold the connection open without forwarding more (a transfer stopped halfway).
/// </summary>
internal sealed class MeddlingProxy : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly IPEndPoint _relay;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private readonly Task _accepting;

    public MeddlingProxy(IPEndPoint relay, long? flipAt = null, long? cutAfter = null, long? holdAfter = null)
    {
        _relay = relay;
        FlipAt = flipAt;
        CutAfter = cutAfter;
        HoldAfter = holdAfter;
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen();
        _accepting = AcceptAsync();
    }

    public long? FlipAt { get; }

    public long? CutAfter { get; }

    public long? HoldAfter { get; }

    public string Url => $"tcp://127.0.0.1:{((IPEndPoint)_listener.LocalEndPoint!).Port}";

    /// <summary>Set once some connection reached <see cref="CutAfter"/> or <see cref="HoldAfter"/> bytes and was cut or held.</summary>
    public TaskCompletionSource Cut { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptAsync(_stop.Token);
                var relay = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await relay.ConnectAsync(_relay, _stop.Token);
                lock (_sockets)
                {
                    _sockets.Add(client);
                    _sockets.Add(relay);
                }

                _ = ForwardAsync(client, relay, meddle: true);
                _ = ForwardAsync(relay, client, meddle: false);
            }
        }
        catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ForwardAsync(Socket from, Socket to, bool meddle)
    {
        var buffer = new byte[64 * 1024];
        long position = 0;
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                if (meddle && CutAfter is { } cut && position + read >= cut)
                {
                    await to.SendAsync(buffer.AsMemory(0, (int)(cut - position)), SocketFlags.None, _stop.Token);
                    to.Shutdown(SocketShutdown.Send);
                    Cut.TrySetResult();
                    return;
                }

                if (meddle && HoldAfter is { } hold && position + read >= hold)
                {
                    await to.SendAsync(buffer.AsMemory(0, (int)(hold - position)), SocketFlags.None, _stop.Token);
                    Cut.TrySetResult();
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }

                if (meddle && FlipAt is { } flip && flip >= position && flip < position + read)
                {
                    buffer[flip - position] ^= 0x01;
                }

                position += read;
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        lock (_sockets)
        {
            _sockets.ForEach(socket => socket.Dispose());
        }

        await _accepting;
        _stop.Dispose();
    }
}
