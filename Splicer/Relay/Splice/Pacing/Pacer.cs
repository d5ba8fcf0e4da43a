using System.Diagnostics;

namespace Splicer.Splice.Pacing;

/// <summary>
/// What paces one direction of a session: its own bucket (the session's cap, changeable while it
/// runs) and the buckets it shares with others (the box's total, a source's). The pump moves at most
/// <see cref="ChunkBytes"/> at a time, reports what it moved, and waits as long as the slowest bucket
/// says: the relay stops reading, so TCP slows the sender, and no byte is ever dropped. A session with
/// no cap at all has no pacer, and its pump runs exactly as without pacing.
/// </summary>
internal sealed class Pacer
{
    /// <summary>The largest step: small enough that a paced direction holds little, large enough to cost little.</summary>
    public const int MaxChunkBytes = 64 * 1024;

    private const int MinChunkBytes = 4 * 1024;

    private const int BurstSteps = 3;

    private readonly TokenBucket _own;
    private readonly TokenBucket[] _shared;

    public Pacer(TokenBucket own, params TokenBucket[] shared)
    {
        _own = own;
        _shared = shared;
    }

    /// <summary>This direction's own bucket: set its rate to re-cap the direction while it runs.</summary>
    public TokenBucket Own => _own;

    /// <summary>How many bytes to move at most in one step: about a twentieth of a second at the tightest rate.</summary>
    public int ChunkBytes
    {
        get
        {
            var tightest = long.MaxValue;
            Tighten(ref tightest, _own);
            foreach (var bucket in _shared)
            {
                Tighten(ref tightest, bucket);
            }

            return tightest == long.MaxValue ? MaxChunkBytes : (int)ChunkFor(tightest);
        }
    }

    /// <summary>The chunk a bucket of this rate would allow; used for a bucket's burst, so one step never waits on itself.</summary>
    public static long ChunkFor(long bytesPerSecond) => Math.Clamp(bytesPerSecond / 20, MinChunkBytes, MaxChunkBytes);

    /// <summary>
    /// What a bucket of this rate lets go at once after a quiet spell: a few steps, so that a step
    /// that found the sender stalled for a moment (its window reopens only on the next ACK) is made
    /// up for by the next ones instead of lost.
    /// </summary>
    public static long BurstFor(long bytesPerSecond) => BurstSteps * ChunkFor(bytesPerSecond);

    /// <summary>Counts bytes just moved; returns how long to wait before the next step (zero most of the time when uncapped).</summary>
    public TimeSpan Moved(long bytes)
    {
        var now = Stopwatch.GetTimestamp();
        var wait = _own.Take(bytes, now);
        foreach (var bucket in _shared)
        {
            wait = Math.Max(wait, bucket.Take(bytes, now));
        }

        return wait == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(0, wait);
    }

    /// <summary>Waits as <see cref="Moved"/> says; completes synchronously when there is nothing to wait for.</summary>
    public ValueTask PaceAsync(long bytes, CancellationToken cancellationToken)
    {
        var wait = Moved(bytes);
        return wait == TimeSpan.Zero ? ValueTask.CompletedTask : new ValueTask(Task.Delay(wait, cancellationToken));
    }

    private static void Tighten(ref long tightest, TokenBucket bucket)
    {
        var rate = bucket.BytesPerSecond;
        if (rate != 0 && rate < tightest)
        {
            tightest = rate;
        }
    }
}
