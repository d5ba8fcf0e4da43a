using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Splicer.Bench.Load;

/// <summary>
/// The bench's own server behind a forwarder (HAProxy, socat) or at the end of direct loopback. A
/// client announces itself with an 8-byte tag, the forwarder's stand-in for a handshake, so the sink
/// can hand the accepted connection to the client that is waiting for it.
/// </summary>
internal sealed class SinkListener : IAsyncDisposable
{
    public const int TagLength = sizeof(long);
    private static readonly TimeSpan TagTimeout = TimeSpan.FromSeconds(30);
    private readonly Socket _listener;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<PairEnd>> _waiting = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;

    public SinkListener()
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(4096);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _acceptLoop = AcceptLoopAsync(_stopping.Token);
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>Registers a tag before the client connects; the task completes with the accepted side.</summary>
    public Task<PairEnd> Expect(long tag)
    {
        var arrival = new TaskCompletionSource<PairEnd>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[tag] = arrival;
        return arrival.Task;
    }

    /// <summary>Gives up on a tag; a connection that still arrives for it is closed.</summary>
    public void Forget(long tag, Task<PairEnd> arrival)
    {
        _waiting.TryRemove(tag, out _);
        _ = arrival.ContinueWith(
            static arrived => arrived.Result.Dispose(),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var tag in _waiting.Keys)
        {
            if (_waiting.TryRemove(tag, out var arrival))
            {
                arrival.TrySetCanceled();
            }
        }

        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await _listener.AcceptAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // e.g. out of file descriptors for a moment; the waiting client times out
            }

            accepted.NoDelay = true;
            _ = ReadTagAsync(new SocketEnd(accepted), cancellationToken);
        }
    }

    private async Task ReadTagAsync(PairEnd accepted, CancellationToken cancellationToken)
    {
        var tagBytes = ArrayPool<byte>.Shared.Rent(TagLength);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TagTimeout);
            await SocketIo.ReceiveExactlyAsync(accepted, tagBytes.AsMemory(0, TagLength), timeout.Token);
            var tag = BinaryPrimitives.ReadInt64LittleEndian(tagBytes);
            if (_waiting.TryRemove(tag, out var arrival) && arrival.TrySetResult(accepted))
            {
                return;
            }
        }
        catch (Exception ex) when (ex is SocketException or EndOfStreamException or OperationCanceledException or ObjectDisposedException)
        {
            // A readiness probe or a client that gave up.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(tagBytes);
        }

        accepted.Dispose();
    }
}
