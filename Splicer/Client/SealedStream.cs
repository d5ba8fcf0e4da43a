using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Splicer.Client.Links;

namespace Splicer.Client;

/// <summary>
/// The end-to-end framing (README, "End-to-end protection"): every frame is a 4-byte header (bit 31: end of
/// stream; bits 0–23: payload length, at most <see cref="MaxPayload"/>; the rest zero), then the AES-256-GCM
/// ciphertext and its 16-byte tag. The header is the associated data; the nonce is 4 zero bytes and the frame's
/// 64-bit big-endian number in its direction, counted from 0. So a frame that is altered, dropped, repeated or
/// moved fails its tag, and the end is a frame of its own: a connection cut anywhere else never reads as an end.
/// Each direction has its own key, and each is used by one task at a time.
/// </summary>
public sealed class SealedStream : PeerStream
{
    public const int MaxPayload = 64 * 1024;
    public const int HeaderLength = 4;
    public const int TagLength = 16;
    private const uint EndFlag = 0x8000_0000;
    private const uint LengthMask = 0x00FF_FFFF;

    private readonly AesGcm _sendKey;
    private readonly AesGcm _receiveKey;
    private readonly byte[] _sendFrame = ArrayPool<byte>.Shared.Rent(HeaderLength + MaxPayload + TagLength);
    private readonly byte[] _inbound = ArrayPool<byte>.Shared.Rent(2 * (HeaderLength + MaxPayload + TagLength));
    private readonly byte[] _receivePlain = ArrayPool<byte>.Shared.Rent(MaxPayload);
    private int _inboundStart;
    private int _inboundEnd;
    private int _frameStart;
    private ulong _sent;
    private ulong _received;
    private long _receivedBytes;
    private int _plainStart;
    private int _plainEnd;
    private bool _peerEnded;
    private int _disposed;

    public SealedStream(RelayLink link, byte[] sendKey, byte[] receiveKey)
        : base(link)
    {
        _sendKey = new AesGcm(sendKey, TagLength);
        _receiveKey = new AesGcm(receiveKey, TagLength);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            var chunk = buffer[..Math.Min(buffer.Length, MaxPayload)];
            await SendFrameAsync(chunk, end: false, cancellationToken);
            buffer = buffer[chunk.Length..];
        }
    }

    public override async ValueTask CompleteWritesAsync(CancellationToken cancellationToken)
    {
        await SendFrameAsync(ReadOnlyMemory<byte>.Empty, end: true, cancellationToken);
        await CompleteLinkSendingAsync(cancellationToken);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_plainStart == _plainEnd)
        {
            if (_peerEnded || buffer.IsEmpty)
            {
                return 0;
            }

            var length = await ReceiveFrameAsync(cancellationToken);
            if (length == 0)
            {
                Open([], 0);
                continue;
            }

            if (length <= buffer.Length)
            {
                // The whole frame fits: opened straight into the caller's buffer, no second copy.
                Open(buffer.Span[..length], length);
                return length;
            }

            Open(_receivePlain.AsSpan(0, length), length);
            _plainStart = 0;
            _plainEnd = length;
        }

        var count = Math.Min(buffer.Length, _plainEnd - _plainStart);
        _receivePlain.AsSpan(_plainStart, count).CopyTo(buffer.Span);
        _plainStart += count;
        return count;
    }

    private ValueTask SendFrameAsync(ReadOnlyMemory<byte> plain, bool end, CancellationToken cancellationToken)
    {
        var frame = _sendFrame.AsSpan(0, HeaderLength + plain.Length + TagLength);
        var header = frame[..HeaderLength];
        BinaryPrimitives.WriteUInt32BigEndian(header, (end ? EndFlag : 0) | (uint)plain.Length);
        Span<byte> nonce = stackalloc byte[12];
        Nonce(nonce, _sent++);
        _sendKey.Encrypt(nonce, plain.Span, frame.Slice(HeaderLength, plain.Length), frame[(HeaderLength + plain.Length)..], header);
        return SendAsync(_sendFrame.AsMemory(0, frame.Length), cancellationToken);
    }

    /// <summary>
    /// Reads the next frame (header and body, still sealed) into the inbound buffer, which takes whatever the
    /// socket has (often several frames in one read); returns its payload length.
    /// </summary>
    private async ValueTask<int> ReceiveFrameAsync(CancellationToken cancellationToken)
    {
        if (!await FillAsync(HeaderLength, cancellationToken))
        {
            throw Cut();
        }

        var header = BinaryPrimitives.ReadUInt32BigEndian(_inbound.AsSpan(_inboundStart));
        var length = (int)(header & LengthMask);
        if ((header & ~(EndFlag | LengthMask)) != 0 || length > MaxPayload || ((header & EndFlag) != 0 && length != 0))
        {
            throw Tampered();
        }

        if (!await FillAsync(HeaderLength + length + TagLength, cancellationToken))
        {
            throw Cut();
        }

        _frameStart = _inboundStart;
        _inboundStart += HeaderLength + length + TagLength;
        return length;
    }

    /// <summary>Makes at least <paramref name="count"/> unread bytes sit in the inbound buffer; false if the connection ends first.</summary>
    private async ValueTask<bool> FillAsync(int count, CancellationToken cancellationToken)
    {
        while (_inboundEnd - _inboundStart < count)
        {
            if (_inbound.Length - _inboundStart < count)
            {
                _inbound.AsSpan(_inboundStart, _inboundEnd - _inboundStart).CopyTo(_inbound);
                (_inboundStart, _inboundEnd) = (0, _inboundEnd - _inboundStart);
            }

            int read;
            try
            {
                read = await Link.ReceiveAsync(_inbound.AsMemory(_inboundEnd), cancellationToken);
            }
            catch (IOException error)
            {
                throw new StreamIntegrityException($"the connection to the peer failed after {_receivedBytes} good bytes: {error.Message}; the rest is missing");
            }

            if (read == 0)
            {
                return false;
            }

            _inboundEnd += read;
        }

        return true;
    }

    /// <summary>Opens the frame just read into <paramref name="plain"/>; if its tag fails, the buffer is cleared and nothing is handed on.</summary>
    private void Open(Span<byte> plain, int length)
    {
        Span<byte> nonce = stackalloc byte[12];
        Nonce(nonce, _received);
        var header = _inbound.AsSpan(_frameStart, HeaderLength);
        var end = (BinaryPrimitives.ReadUInt32BigEndian(header) & EndFlag) != 0;
        var body = _inbound.AsSpan(_frameStart + HeaderLength, length + TagLength);
        try
        {
            _receiveKey.Decrypt(nonce, body[..length], body[length..], plain, header);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw Tampered();
        }

        _received++;
        _receivedBytes += length;
        _peerEnded = end;
    }

    private static void Nonce(Span<byte> nonce, ulong number)
    {
        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], number);
    }

    private StreamIntegrityException Tampered() => new(
        $"frame {_received} from the peer failed authentication (after {_receivedBytes} good bytes): it was altered, reordered or replayed "
        + "on the way, or the peer holds another code. Stopped; nothing of that frame or after it was written.");

    private StreamIntegrityException Cut() => new(
        $"the stream from the peer was cut after {_receivedBytes} bytes, before the peer's end mark (the relay or the network closed it): "
        + "what arrived is genuine, the rest is missing.");

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _sendKey.Dispose();
            _receiveKey.Dispose();
            ArrayPool<byte>.Shared.Return(_sendFrame);
            ArrayPool<byte>.Shared.Return(_inbound);
            ArrayPool<byte>.Shared.Return(_receivePlain);
        }

        base.Dispose(disposing);
    }
}
