using System.Diagnostics;
using Splicer.Splice.Pacing;

namespace Splicer.Tests.Pacing;

/// <summary>The token bucket's arithmetic, on a clock the test moves.</summary>
public sealed class TokenBucketTests
{
    private static readonly long Second = Stopwatch.Frequency;

    [Fact]
    public void A_burst_goes_at_once_and_what_follows_waits_for_its_cost()
    {
        var bucket = new TokenBucket(1_000_000);
        var step = Pacer.ChunkFor(1_000_000);

        Assert.Equal(0, bucket.Take(Pacer.BurstFor(1_000_000), now: 0));
        var wait = bucket.Take(step, now: 0);

        Assert.Equal(step / 1e6, wait / (double)Second, precision: 6);
    }

    [Fact]
    public void A_quiet_spell_does_not_save_up_more_than_one_burst()
    {
        var bucket = new TokenBucket(1_000_000);
        var burst = Pacer.BurstFor(1_000_000);

        Assert.Equal(0, bucket.Take(burst, now: 0));
        Assert.Equal(0, bucket.Take(burst, now: 100 * Second));
        Assert.True(bucket.Take(1, now: 100 * Second) > 0);
    }

    [Fact]
    public void A_rate_of_zero_never_waits()
    {
        var bucket = new TokenBucket(0);

        Assert.Equal(0, bucket.Take(long.MaxValue / 2, now: 0));
        Assert.True(bucket.IsUnlimited);
    }

    [Fact]
    public void Changing_the_rate_changes_the_cost_of_what_comes_next()
    {
        var bucket = new TokenBucket(0);
        bucket.SetRate(10_000);
        var burst = Pacer.BurstFor(10_000);

        Assert.Equal(0, bucket.Take(burst, now: 0));
        Assert.Equal(0.5, bucket.Take(5_000, now: 0) / (double)Second, precision: 6);
    }

    [Fact]
    public void A_pacer_waits_as_long_as_its_slowest_bucket()
    {
        var pacer = new Pacer(new TokenBucket(0), new TokenBucket(1_000_000), new TokenBucket(10_000));

        Assert.Equal((int)Pacer.ChunkFor(10_000), pacer.ChunkBytes);
        Assert.Equal(TimeSpan.Zero, pacer.Moved(Pacer.BurstFor(10_000)));
        Assert.InRange(pacer.Moved(10_000).TotalSeconds, 0.9, 1.1);
    }
}
