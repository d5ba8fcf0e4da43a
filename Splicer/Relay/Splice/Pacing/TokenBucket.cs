using System.Diagnostics;

namespace Splicer.Splice.Pacing;

/// <summary>
/// A byte-rate limit as a token bucket, kept as one number: the time at which the bucket would be
/// full again (the generic cell rate algorithm's "theoretical arrival time"). Taking bytes pushes that
/// time forward by what they cost at the rate; the taker waits for whatever lies beyond the burst the
/// bucket allows. One compare-and-swap per take, no lock, so one bucket can be shared by every
/// session of a source or of the whole box. The rate can be changed while bytes flow.
/// </summary>
internal sealed class TokenBucket
{
    private static readonly double TicksPerSecond = Stopwatch.Frequency;

    private long _fullAt;
    private double _ticksPerByte;
    private long _burstTicks;
    private long _bytesPerSecond;

    /// <param name="bytesPerSecond">The sustained rate; 0 means no limit. After a quiet spell one pacer step may go at once.</param>
    public TokenBucket(long bytesPerSecond)
    {
        SetRate(bytesPerSecond);
    }

    public long BytesPerSecond => Volatile.Read(ref _bytesPerSecond);

    public bool IsUnlimited => BytesPerSecond == 0;

    /// <summary>Changes the rate from now on (0: no limit); bytes already taken keep the cost they had.</summary>
    public void SetRate(long bytesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytesPerSecond);
        Volatile.Write(ref _ticksPerByte, bytesPerSecond == 0 ? 0 : TicksPerSecond / bytesPerSecond);
        Volatile.Write(ref _burstTicks, bytesPerSecond == 0 ? 0 : (long)(Pacer.BurstFor(bytesPerSecond) * TicksPerSecond / bytesPerSecond));
        Volatile.Write(ref _bytesPerSecond, bytesPerSecond);
    }

    /// <summary>
    /// Takes <paramref name="bytes"/> (already moved, or about to be) and returns how long the taker
    /// must wait before moving more, in <see cref="Stopwatch"/> ticks; 0 when within the rate.
    /// </summary>
    public long Take(long bytes, long now)
    {
        var ticksPerByte = Volatile.Read(ref _ticksPerByte);
        if (ticksPerByte == 0)
        {
            return 0;
        }

        var cost = (long)(bytes * ticksPerByte);
        while (true)
        {
            var fullAt = Volatile.Read(ref _fullAt);
            var next = Math.Max(fullAt, now) + cost;
            if (Interlocked.CompareExchange(ref _fullAt, next, fullAt) == fullAt)
            {
                return Math.Max(0, next - now - Volatile.Read(ref _burstTicks));
            }
        }
    }
}
