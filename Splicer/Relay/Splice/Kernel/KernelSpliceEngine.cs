using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Splicer.Splice.Kernel;

/// <summary>
/// Moves bytes socket → pipe → socket with splice(2), so they never enter user space. Readiness
/// comes from the .NET socket engine (a zero-byte receive), so there is no thread per session and
/// no polling. A pipe is rented only while bytes flow, and at most one pipe's worth (plus one small
/// fallback chunk) is in flight per direction, so a slow receiver slows its sender.
/// </summary>
internal sealed partial class KernelSpliceEngine(PipePool pipes) : ISpliceEngine, IDisposable
{
    /// <summary>A 1 MiB pipe moves about a third more per second than the default 64 KiB one.</summary>
    public const int PipeCapacity = 1024 * 1024;

    /// <summary>
    /// Used when the target socket cannot take the pipe's bytes now: there is no "writable" signal
    /// to wait on, so the bytes go through user space and an awaited send, a chunk at a time.
    /// </summary>
    private const int FallbackChunkSize = 64 * 1024;

    /// <summary>
    /// A busy stream gives its thread back this often (about a millisecond's worth), so the other
    /// sockets served by the same event thread are not held up behind it.
    /// </summary>
    private const long BurstBudget = 2 * 1024 * 1024;

    /// <summary>Empty pipes kept for the next burst; more are closed, so the fd count follows the traffic.</summary>
    public static readonly int MaxPooledPipes = Math.Clamp(Environment.ProcessorCount * 4, 8, 64);

    private const uint SpliceFlags = LinuxNative.SpliceMove | LinuxNative.SpliceNonBlock;

    public string Name => "kernel-splice";

    public PipePool Pipes => pipes;

    public async Task<SpliceEnd> RunAsync(SpliceSession session)
    {
        SocketLease a = default, b = default;
        using var wake = session.WakeOnAbort();
        try
        {
            a = SocketLease.Take(session.A.Socket);
            b = SocketLease.Take(session.B.Socket);
            var aToB = Pump(session.AToB, a.Fd, b.Fd, session.Aborted);
            var bToA = Pump(session.BToA, b.Fd, a.Fd, session.Aborted);

            // Both pumps are out of their splice calls once this returns, so the leases may let the sockets close.
            return SpliceEnd.Both(await aToB, await bToA);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return SpliceEnd.Failed($"{session.A.Remote} <-> {session.B.Remote} could not be spliced: {ex.Message}");
        }
        finally
        {
            b.Dispose();
            a.Dispose();
        }
    }

    public void Dispose() => pipes.Dispose();

    private async Task<SpliceEnd> PumpAsync(SpliceDirection direction, int from, int to, CancellationToken aborted)
    {
        var source = direction.From.Socket;
        try
        {
            // Readiness only: consumes nothing, and a quiet side holds neither pipe nor buffer.
            // The waiter's side starts from the receive its wait left pending.
            // An abort wakes these waits by shutting the receiving halves (the session's one
            // registration, see RunAsync), so they carry no cancellation registration each.
            if (direction.TakeHandedOverReadiness() is { } handedOver)
            {
                await handedOver;
            }
            else
            {
                await source.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, CancellationToken.None);
            }

            while (!aborted.IsCancellationRequested && await MoveWhileReadableAsync(direction, from, to, aborted))
            {
                await source.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, CancellationToken.None);
            }

            if (aborted.IsCancellationRequested)
            {
                return SpliceEnd.Aborted;
            }

            direction.To.Socket.Shutdown(SocketShutdown.Send);
            return SpliceEnd.Finished;
        }
        catch (OperationCanceledException)
        {
            return SpliceEnd.Aborted;
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            return SpliceEnd.FailSession(direction, ex, aborted);
        }
    }

    /// <summary>Splices until the source runs dry (true) or ends (false), through one rented pipe.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> MoveWhileReadableAsync(SpliceDirection direction, int from, int to, CancellationToken aborted)
    {
        if (!pipes.TryRent(out var pipe))
        {
            return await UserSpaceCopy.CopyChunkAsync(direction, FallbackChunkSize, aborted) > 0;
        }

        try
        {
            long burst = 0;
            while (true)
            {
                aborted.ThrowIfCancellationRequested();
                var filled = Fill(pipe, from, pipe.Capacity);
                if (filled == 0)
                {
                    return false;
                }

                if (filled < 0)
                {
                    return true;
                }

                if (!TryEmpty(pipe, to, direction))
                {
                    await EmptyThroughUserSpaceAsync(pipe, to, direction, aborted);
                }

                burst += filled;
                if (burst >= BurstBudget)
                {
                    burst = 0;
                    await Task.Yield();
                }
            }
        }
        finally
        {
            pipes.Return(pipe);
        }
    }

    /// <summary>Bytes moved from the socket into the empty pipe; 0 at end of stream, -1 when there are none now.</summary>
    private static int Fill(KernelPipe pipe, int from, int length)
    {
        while (true)
        {
            var moved = LinuxNative.Splice(from, 0, pipe.WriteFd, 0, (nuint)length, SpliceFlags);
            if (moved >= 0)
            {
                pipe.Held += (int)moved;
                return (int)moved;
            }

            switch (LinuxNative.LastError)
            {
                case LinuxNative.Interrupted:
                    continue;
                case LinuxNative.TryAgain:
                    return -1;
                case var errno:
                    throw SpliceErrors.ToException(errno, "splice from socket");
            }
        }
    }

    /// <summary>Splices what the pipe holds into the target; false when the target's send buffer is full.</summary>
    private static bool TryEmpty(KernelPipe pipe, int to, SpliceDirection direction)
    {
        while (pipe.Held > 0)
        {
            var moved = LinuxNative.Splice(pipe.ReadFd, 0, to, 0, (nuint)pipe.Held, SpliceFlags);
            if (moved > 0)
            {
                pipe.Held -= (int)moved;
                direction.Relayed(moved);
                continue;
            }

            var errno = moved == 0 ? 0 : LinuxNative.LastError;
            switch (errno)
            {
                case LinuxNative.Interrupted:
                    continue;
                case LinuxNative.TryAgain:
                    return false;
                default:
                    throw SpliceErrors.ToException(errno, "splice to socket");
            }
        }

        return true;
    }

    /// <summary>
    /// The target cannot take more now and there is nothing to wait on for "writable": send a chunk
    /// the ordinary way (the send waits), then go back to splicing the rest.
    /// </summary>
    private static async ValueTask EmptyThroughUserSpaceAsync(KernelPipe pipe, int to, SpliceDirection direction, CancellationToken aborted)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(FallbackChunkSize);
        try
        {
            do
            {
                var taken = ReadPipe(pipe, chunk);
                await UserSpaceCopy.ForwardAsync(direction, chunk.AsMemory(0, taken), aborted);
            }
            while (!TryEmpty(pipe, to, direction));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static unsafe int ReadPipe(KernelPipe pipe, byte[] chunk)
    {
        fixed (byte* start = chunk)
        {
            while (true)
            {
                var read = LinuxNative.Read(pipe.ReadFd, start, (nuint)Math.Min(pipe.Held, chunk.Length));
                if (read > 0)
                {
                    pipe.Held -= (int)read;
                    return (int)read;
                }

                var errno = read == 0 ? 0 : LinuxNative.LastError;
                if (errno != LinuxNative.Interrupted)
                {
                    throw SpliceErrors.ToException(errno, "read from pipe");
                }
            }
        }
    }
}
