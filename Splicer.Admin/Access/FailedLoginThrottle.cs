using System.Net;
using System.Threading.RateLimiting;
using Splicer.Admin.Hosting;

namespace Splicer.Admin.Access;

/// <summary>What became of a presented credential.</summary>
internal enum LoginOutcome
{
    Accepted,
    Rejected,

    /// <summary>Not checked: too many tries from its source were already waiting.</summary>
    Refused,
}

/// <summary>How many failures pass at once, how often one more may fail, how many tries may wait.</summary>
internal sealed record FailedLoginLimits(int FreeFailures, TimeSpan PerFailure, int QueueLimit)
{
    public static readonly FailedLoginLimits Default = new(FreeFailures: 5, PerFailure: TimeSpan.FromSeconds(1), QueueLimit: 10);

    /// <summary>About how long until the queue of a source that was refused has drained.</summary>
    public TimeSpan RetryAfter => PerFailure * (QueueLimit + 1);
}

/// <summary>
/// Slows down guessing, per source (<see cref="LoginSource"/>): its credentials are checked one at a
/// time, and a wrong one keeps the source's turn until the source's token bucket has a token for it.
/// The first few failures pass at once, then one a second; meanwhile further tries queue, each
/// waiting a second longer than the one before, and beyond the queue they are refused unchecked
/// (a source that is not being slowed may queue more: right credentials keep a turn only briefly).
/// </summary>
/// <remarks>
/// The tries wait before the check, not only the answers to wrong ones: were every credential
/// checked at once and only failures delayed, a guesser sending many tries in parallel would learn
/// of a right one (and of wrong ones, from their refusals) at whatever rate it liked. A right
/// credential takes no token, so the owner is held up only by failures from their own source.
/// </remarks>
internal sealed class FailedLoginThrottle : IDisposable
{
    // Bounds the waiting tries of one source that is not being slowed (a burst of right credentials).
    private const int MostWaitingPerSource = 1000;

    private readonly PartitionedRateLimiter<IPAddress> _turns;
    private readonly PartitionedRateLimiter<IPAddress> _failures;
    private readonly FailedLoginLog _log;
    private readonly CancellationToken _stopping;

    /// <param name="stopping">Ends the waits of wrong credentials (the host is stopping).</param>
    public FailedLoginThrottle(FailedLoginLimits limits, FailedLoginLog log, CancellationToken stopping)
    {
        Limits = limits;
        _log = log;
        _stopping = stopping;
        _turns = PartitionedRateLimiter.Create<IPAddress, IPAddress>(source => RateLimitPartition.GetConcurrencyLimiter(
            source,
            _ => new ConcurrencyLimiterOptions
            {
                PermitLimit = 1,
                QueueLimit = MostWaitingPerSource,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            }));
        _failures = PartitionedRateLimiter.Create<IPAddress, IPAddress>(source => RateLimitPartition.GetTokenBucketLimiter(
            source,
            _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = limits.FreeFailures,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = limits.PerFailure,
                // Only the holder of the source's turn ever waits here.
                QueueLimit = 1,
                // The partitioned limiter's own timer refills every bucket: no timer per source.
                AutoReplenishment = false,
            }));
    }

    public FailedLoginLimits Limits { get; }

    /// <summary>Runs <paramref name="credentialMatches"/> in the source's turn; a wrong credential holds the turn for its penalty.</summary>
    public async ValueTask<LoginOutcome> CheckAsync(IPAddress? client, Func<bool> credentialMatches, CancellationToken aborted)
    {
        var source = LoginSource.Of(client);
        if (IsSlowedWithFullQueue(source))
        {
            _log.Refused(source);
            return LoginOutcome.Refused;
        }

        using var turn = await WaitForTurnAsync(source, aborted);
        if (turn is not { IsAcquired: true })
        {
            if (turn is not null)
            {
                _log.Refused(source);
            }

            return LoginOutcome.Refused;
        }

        if (credentialMatches())
        {
            return LoginOutcome.Accepted;
        }

        _log.Failed(source);
        await WaitForFailureTokenAsync(source);
        return LoginOutcome.Rejected;
    }

    public void Dispose()
    {
        _turns.Dispose();
        _failures.Dispose();
    }

    /// <summary>
    /// Whether the source's failures are being slowed and <see cref="FailedLoginLimits.QueueLimit"/> tries wait already.
    /// A source without recent failures is never refused here, so a burst of right credentials (a
    /// dashboard loading, a script) only waits its turns, which a right credential keeps for a moment.
    /// </summary>
    private bool IsSlowedWithFullQueue(IPAddress source) =>
        _failures.GetStatistics(source)?.CurrentAvailablePermits == 0
        && _turns.GetStatistics(source)?.CurrentQueuedCount >= Limits.QueueLimit;

    /// <returns>The turn (acquired, or refused since the queue is full), or null when the client left while waiting.</returns>
    private async ValueTask<RateLimitLease?> WaitForTurnAsync(IPAddress source, CancellationToken aborted)
    {
        try
        {
            return await _turns.AcquireAsync(source, 1, aborted);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private async Task WaitForFailureTokenAsync(IPAddress source)
    {
        // Not cut short when the client leaves: a guesser could otherwise drop each try once checked
        // and have the next one checked at once.
        try
        {
            using var token = await _failures.AcquireAsync(source, 1, _stopping);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
