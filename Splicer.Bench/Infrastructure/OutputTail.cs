using System.Buffers;
using System.Text;

namespace Splicer.Bench.Infrastructure;

/// <summary>
/// Drains a child's output so it never blocks on a full pipe, keeps the last few KiB for error
/// messages, and tells when a marker text has appeared. Reads raw bytes: no string per log line.
/// </summary>
internal sealed class OutputTail
{
    private const int TailBytes = 8 * 1024;
    private readonly byte[] _tail = new byte[TailBytes];
    private readonly byte[]? _marker;
    private readonly TaskCompletionSource _markerSeen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private int _tailLength;
    private int _matched;

    public OutputTail(string? marker)
    {
        _marker = marker is null ? null : Encoding.UTF8.GetBytes(marker);
    }

    /// <summary>Completes when the marker has been seen (never, if there is none).</summary>
    public Task MarkerSeen => _markerSeen.Task;

    public Task DrainAsync(Stream output, CancellationToken cancellationToken) => Task.Run(async () =>
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await output.ReadAsync(buffer, cancellationToken)) > 0)
            {
                Append(buffer.AsSpan(0, read));
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The child is gone or the bench stops; what was read stays in the tail.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }, CancellationToken.None);

    public override string ToString()
    {
        lock (_gate)
        {
            return Encoding.UTF8.GetString(_tail, 0, _tailLength);
        }
    }

    private void Append(ReadOnlySpan<byte> chunk)
    {
        lock (_gate)
        {
            Watch(chunk);
            if (chunk.Length >= TailBytes)
            {
                chunk[^TailBytes..].CopyTo(_tail);
                _tailLength = TailBytes;
                return;
            }

            var keep = Math.Min(_tailLength, TailBytes - chunk.Length);
            _tail.AsSpan(_tailLength - keep, keep).CopyTo(_tail);
            chunk.CopyTo(_tail.AsSpan(keep));
            _tailLength = keep + chunk.Length;
        }
    }

    private void Watch(ReadOnlySpan<byte> chunk)
    {
        if (_marker is null || _markerSeen.Task.IsCompleted)
        {
            return;
        }

        foreach (var b in chunk)
        {
            _matched = b == _marker[_matched] ? _matched + 1 : (b == _marker[0] ? 1 : 0);
            if (_matched == _marker.Length)
            {
                _markerSeen.TrySetResult();
                return;
            }
        }
    }
}
