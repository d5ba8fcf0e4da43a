using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Splicer.Bench.Load;

/// <summary>
/// Pairs two client connections through a transit relay (Splicer or the reference one): both send
/// <c>please relay TOKEN for side SIDE\n</c> with a token unique to the pair, and both wait for <c>ok\n</c>.
/// <see cref="NativePairOpener"/> sends Splicer's native line instead. The near side (a) connects with
/// <paramref name="near"/>, the far side (b) with <paramref name="far"/>: the same transport, or two.
/// </summary>
internal class RendezvousPairOpener(Dialer near, Dialer far) : IPairOpener
{
    public RendezvousPairOpener(Dialer relay)
        : this(relay, relay)
    {
    }

    private static readonly byte[] WormholeOk = "ok\n"u8.ToArray();
    private long _nextPair;

    public async ValueTask<JoinedPair> OpenAsync(CancellationToken cancellationToken)
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

        var pair = new JoinedPair(nearTask.Result, farTask.Result);
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

    private async ValueTask<PairEnd> ConnectAndAskAsync(long pairNumber, string side, CancellationToken cancellationToken)
    {
        var end = await (side == "a" ? near : far).DialAsync(cancellationToken);
        var handshake = ArrayPool<byte>.Shared.Rent(MaxHandshakeLength);
        try
        {
            var length = WriteHandshake(handshake, pairNumber, side);
            await end.SendAsync(handshake.AsMemory(0, length), cancellationToken);
            return end;
        }
        catch
        {
            end.Dispose();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(handshake);
        }
    }

    /// <summary>Room for the longest handshake line this opener writes.</summary>
    protected virtual int MaxHandshakeLength => 104; // "please relay " + 64 + " for side " + 16 + "\n"

    /// <summary>What each side reads once paired, byte for byte.</summary>
    protected virtual byte[] Ok => WormholeOk;

    /// <summary>This run's random half of every token, so runs never meet on the relay.</summary>
    protected string RunPrefix { get; } = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());

    /// <summary>Token: 32 hex digits of this run's prefix + 32 of the pair number; side: 16 hex digits.</summary>
    protected string Token(long pairNumber) => $"{RunPrefix}{pairNumber:x32}";

    protected static string Side(long pairNumber, string side) => $"{side}{pairNumber:x15}";

    protected virtual int WriteHandshake(byte[] destination, long pairNumber, string side)
    {
        Utf8.TryWrite(destination, $"please relay {RunPrefix}{pairNumber:x32} for side {side}{pairNumber:x15}\n", out var written);
        return written;
    }

    private async ValueTask ExpectOkAsync(PairEnd end, CancellationToken cancellationToken)
    {
        var ok = Ok;
        var reply = ArrayPool<byte>.Shared.Rent(ok.Length);
        try
        {
            await SocketIo.ReceiveExactlyAsync(end, reply.AsMemory(0, ok.Length), cancellationToken);
            if (!reply.AsSpan(0, ok.Length).SequenceEqual(ok))
            {
                throw new InvalidDataException($"relay answered '{Encoding.ASCII.GetString(reply, 0, ok.Length).TrimEnd()}' instead of ok");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(reply);
        }
    }

    private static void DisposeCompleted(Task<PairEnd> connecting)
    {
        if (connecting.IsCompletedSuccessfully)
        {
            connecting.Result.Dispose();
        }
    }
}
