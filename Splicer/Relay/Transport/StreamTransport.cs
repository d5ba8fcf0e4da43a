using System.Buffers;
using Splicer.Accept;

namespace Splicer.Transport;

/// <summary>
/// What TLS and WebSocket share: bytes held for the next reader (pushed back by a sniff, or sent by a
/// client before it was paired), and a read started while waiting that is never cancelled, since
/// cancelling a read leaves neither an SslStream nor a WebSocket usable. Its bytes go to the session.
/// </summary>
internal abstract class StreamTransport : IConnectionTransport
{
    private const int HoldReadSize = 16 * 1024;

    private byte[] _held = [];
    private int _heldStart;
    private int _heldEnd;
    private Task<int>? _pendingRead;
    private byte[]? _pendingBuffer;
    private bool _ended;

    public abstract string Name { get; }

    public int HeldBytes => _heldEnd - _heldStart;

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (HeldBytes == 0 && _pendingRead is { } pending)
        {
            Collect(await pending.WaitAsync(cancellationToken));
        }

        if (HeldBytes > 0)
        {
            var count = Math.Min(buffer.Length, HeldBytes);
            _held.AsSpan(_heldStart, count).CopyTo(buffer.Span);
            _heldStart += count;
            return count;
        }

        return _ended ? 0 : await ReadCoreAsync(buffer, cancellationToken);
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => WriteCoreAsync(data, cancellationToken);

    public ValueTask CloseSendingAsync(CancellationToken cancellationToken) => CloseSendingCoreAsync(cancellationToken);

    public async Task<bool> HoldAsync(CancellationToken cancellationToken)
    {
        if (_ended)
        {
            return false;
        }

        _pendingRead ??= StartPendingRead();
        Collect(await _pendingRead.WaitAsync(cancellationToken));
        return !_ended;
    }

    /// <summary>Gives bytes read too far (by a sniff or a request parser) back to the next reader.</summary>
    public void PushBack(ReadOnlySpan<byte> bytes) => Hold(bytes);

    public void Dispose()
    {
        DisposeCore();
        if (_pendingRead is null && _pendingBuffer is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (_held.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_held);
            _held = [];
        }
    }

    protected abstract ValueTask<int> ReadCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    protected abstract ValueTask WriteCoreAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    protected abstract ValueTask CloseSendingCoreAsync(CancellationToken cancellationToken);

    protected abstract void DisposeCore();

    private Task<int> StartPendingRead()
    {
        _pendingBuffer ??= ArrayPool<byte>.Shared.Rent(HoldReadSize);
        return ReadCoreAsync(_pendingBuffer, CancellationToken.None).AsTask();
    }

    private void Collect(int received)
    {
        _pendingRead = null;
        if (received == 0)
        {
            _ended = true;
        }
        else
        {
            Hold(_pendingBuffer.AsSpan(0, received));
        }

        if (_pendingBuffer is { } buffer)
        {
            _pendingBuffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Hold(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        var count = HeldBytes;
        if (count == 0)
        {
            _heldStart = _heldEnd = 0;
        }

        if (_heldEnd + bytes.Length > _held.Length)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Max(count + bytes.Length, 4096));
            _held.AsSpan(_heldStart, count).CopyTo(grown);
            if (_held.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_held);
            }

            _held = grown;
            _heldStart = 0;
            _heldEnd = count;
        }

        bytes.CopyTo(_held.AsSpan(_heldEnd));
        _heldEnd += bytes.Length;
    }
}
