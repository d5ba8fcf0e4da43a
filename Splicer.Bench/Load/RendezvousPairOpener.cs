using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Unicode;

namespace Splicer.Bench.Load;

/// <summary>
/// Pairs two client connections through a transit relay (Splicer or the reference one): both send
/// <c>please relay TOKEN for side SIDE\n</c> with a token unique to the pair, and both wait for <c>ok\n</c>.
/// </summary>
internal sealed class RendezvousPairOpener(IPEndPoint relay) : IPairOpener
{
    private const int HandshakeLength = 104; // "please relay " + 64 + " for side " + 16 + "\n"
    private static readonly byte[] Ok = "ok\n"u8.ToArray();
    private readonly string _runPrefix = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
    private long _nextPair;

    public async ValueTask<SocketPair> OpenAsync(CancellationToken cancellationToken)
    {
        var pairNumber = Interlocked.Increment(ref _nextPair);
        var nearTask = ConnectAndAskAsync(pairNumber, "a", cancellationToken).AsTask();
        var farTask = ConnectAndAskAsync(pairNumber, "b", cancellationToken).AsTask();
        try
        {
            await Task.WhenAll(nearTask, farTask);
        }
        catch
        {
            DisposeCompleted(nearTask);
            DisposeCompleted(farTask);
            throw;
        }

        var pair = new SocketPair(nearTask.Result, farTask.Result);
        try
        {
            var nearOk = ExpectOkAsync(pair.Near, cancellationToken).AsTask();
            var farOk = ExpectOkAsync(pair.Far, cancellationToken).AsTask();
            try
            {
                await Task.WhenAll(nearOk, farOk);
            }
            catch (OperationCanceledException)
            {
                throw new OperationCanceledException(
                    $"no ok for {(nearOk.IsCompletedSuccessfully ? "" : "side a ")}{(farOk.IsCompletedSuccessfully ? "" : "side b ")}of pair {pairNumber}", cancellationToken);
            }

            return pair;
        }
        catch
        {
            pair.Dispose();
            throw;
        }
    }

    private async ValueTask<Socket> ConnectAndAskAsync(long pairNumber, string side, CancellationToken cancellationToken)
    {
        var socket = await SocketIo.ConnectAsync(relay, cancellationToken);
        var handshake = ArrayPool<byte>.Shared.Rent(HandshakeLength);
        try
        {
            var length = WriteHandshake(handshake, pairNumber, side);
            await SocketIo.SendAllAsync(socket, handshake.AsMemory(0, length), cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(handshake);
        }
    }

    private int WriteHandshake(byte[] destination, long pairNumber, string side)
    {
        // Token: 32 hex digits of this run's random prefix + 32 of the pair number; side: 16 hex digits.
        Utf8.TryWrite(destination, $"please relay {_runPrefix}{pairNumber:x32} for side {side}{pairNumber:x15}\n", out var written);
        return written;
    }

    private static async ValueTask ExpectOkAsync(Socket socket, CancellationToken cancellationToken)
    {
        var reply = ArrayPool<byte>.Shared.Rent(Ok.Length);
        try
        {
            await SocketIo.ReceiveExactlyAsync(socket, reply.AsMemory(0, Ok.Length), cancellationToken);
            if (!reply.AsSpan(0, Ok.Length).SequenceEqual(Ok))
            {
                throw new InvalidDataException($"relay answered '{Encoding.ASCII.GetString(reply, 0, Ok.Length).TrimEnd()}' instead of ok");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(reply);
        }
    }

    private static void DisposeCompleted(Task<Socket> connecting)
    {
        if (connecting.IsCompletedSuccessfully)
        {
            connecting.Result.Dispose();
        }
    }
}
