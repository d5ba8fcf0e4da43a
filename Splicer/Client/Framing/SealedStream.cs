using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Splicer.Client.Failures;

namespace Splicer.Client.Framing;

/// <summary>
/// The end-to-end framing (docs/protocols.md, "End-to-end protection"): every frame is a 4-byte header (bit 31: end of
/// stream; bits 0–23: payload length, at most <see cref="MaxPayload"/>; the rest zero), then the AES-256-GCM
/// ciphertext and its 16-byte tag. The header is the associated data; the nonce is 4 zero bytes and the frame's
/// 64-bit big-endian number in its direction, counted from 0. So a frame that is altered, dropped, repeated or
/// moved fails its tag, and the end is a frame of its own: a connection cut anywhere else never reads as an end.
/// Each direction has its own key, and each is used by one task at a time. Bit 30 marks a "moved" frame: this
/// side's sending goes on on another connection of its <see cref="IFrameRoute"/> (docs/protocols.md, "Direct paths").
/// </summary>
public sealed class SealedStream : PeerStream
{
    public const int MaxPayload = 64 * 1024;
    public const int HeaderLength = 4;
    public const int TagLength = 16;
    private const uint EndFlag = 0x8000_0000;
    private const uint MovedFlag = 0x4000_0000;
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
    private bool _peerMoved;
    private int _disposed;
    private readonly IFrameRoute _route;

    /// <summary>A stream whose frames travel on <paramref name="route"/>, which it owns from now on.</summary>
    public SealedStream(IFrameRoute route, byte[] sendKey, byte[] receiveKey)
        : base(route.Sending)
    {
        _route = route;
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
        await CompleteSendingOnAsync(_route.Sending, cancellationToken);
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
                if (_peerMoved)
                {
                    await FollowPeerAsync(cancellationToken);
                }

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

    private async ValueTask SendFrameAsync(ReadOnlyMemory<byte> plain, bool end, CancellationToken cancellationToken)
    {
        if (_route.SendingMoveDue)
        {
            await MoveSendingAsync(cancellationToken);
        }

        var length = Seal(plain.Span, end ? EndFlag : 0);
        await SendOnAsync(_route.Sending, _sendFrame.AsMemory(0, length), cancellationToken);
        _route.CountSent(plain.Length);
    }

    /// <summary>
    /// The "moved" frame (flag bit 30, no payload, numbered and sealed like any other) goes last on the old
    /// connection, whose sending this side then ends; every later frame goes on the new one. TCP keeps each
    /// connection in order, so the peer reads everything before the mark on the old one and the rest on the new.
    /// </summary>
    private async ValueTask MoveSendingAsync(CancellationToken cancellationToken)
    {
        var length = Seal([], MovedFlag);
        await SendOnAsync(_route.Sending, _sendFrame.AsMemory(0, length), cancellationToken);
        await CompleteSendingOnAsync(_route.Sending, cancellationToken);
        _route.MoveSending();
    }

    /// <summary>The peer's "moved" frame: nothing may follow it on the old connection; reading goes on where the route says.</summary>
    private async ValueTask FollowPeerAsync(CancellationToken cancellationToken)
    {
        _peerMoved = false;
        if (_inboundStart != _inboundEnd)
        {
            throw Tampered();
        }

        await _route.MoveReceivingAsync(cancellationToken);
    }

    private int Seal(ReadOnlySpan<byte> plain, uint flags)
    {
        var frame = _sendFrame.AsSpan(0, HeaderLength + plain.Length + TagLength);
        var header = frame[..HeaderLength];
        BinaryPrimitives.WriteUInt32BigEndian(header, flags | (uint)plain.Length);
        Span<byte> nonce = stackalloc byte[12];
        Nonce(nonce, _sent++);
        _sendKey.Encrypt(nonce, plain, frame.Slice(HeaderLength, plain.Length), frame[(HeaderLength + plain.Length)..], header);
        return frame.Length;
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
        var flags = header & (EndFlag | MovedFlag);
        if ((header & ~(EndFlag | MovedFlag | LengthMask)) != 0 || length > MaxPayload || (flags != 0 && length != 0) || flags == (EndFlag | MovedFlag))
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
                read = await _route.Receiving.ReceiveAsync(_inbound.AsMemory(_inboundEnd), cancellationToken);
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
        var flags = BinaryPrimitives.ReadUInt32BigEndian(header);
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
        _route.CountReceived(length);
        _peerEnded = (flags & EndFlag) != 0;
        _peerMoved = (flags & MovedFlag) != 0;
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
            _route.Dispose();
            _sendKey.Dispose();
            _receiveKey.Dispose();
            ArrayPool<byte>.Shared.Return(_sendFrame);
            ArrayPool<byte>.Shared.Return(_inbound);
            ArrayPool<byte>.Shared.Return(_receivePlain);
        }

        base.Dispose(disposing);
    }
}
