using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Splicer.Endings;
using Splicer.Options;

namespace Splicer.Accept;

/// <summary>
/// Admits a new connection only while the total limit, the per-source limit and the per-source
/// rate of new connections allow it. A source is an IPv4 address or an IPv6 prefix (<see cref="SourcePrefix"/>).
/// </summary>
internal sealed class ConnectionGate : IDisposable
{
    private readonly DescriptorBudget _descriptors;
    private readonly int _maxTotal;
    private readonly int _maxPerSource;
    private readonly int _ipv6PrefixLength;
    private readonly SourceRateOptions _rate;
    private readonly PartitionedRateLimiter<IPNetwork>? _rateLimiter;
    private readonly Dictionary<IPNetwork, int> _perSource = new();
    private readonly Lock _lock = new();
    private int _total;

    public ConnectionGate(IOptions<SplicerOptions> options, DescriptorBudget descriptors)
    {
        var relay = options.Value;
        _descriptors = descriptors;
        _maxTotal = descriptors.MaxConnections;
        _maxPerSource = relay.MaxConnectionsPerIp;
        _ipv6PrefixLength = relay.IPv6SourcePrefix;
        _rate = relay.SourceRate;
        _rateLimiter = _rate.Enabled ? CreateRateLimiter(_rate) : null;
    }

    /// <summary>What a connection that holds no place under the limits releases: nothing (a refused or shed one).</summary>
    public static IDisposable NoPlace { get; } = new NoAdmission();

    public int Open => Volatile.Read(ref _total);

    public int MaxTotal => _maxTotal;

    /// <summary>At the total limit, or out of descriptors: every new connection is refused until one closes.</summary>
    public bool IsFull => WhyFull is not null;

    /// <summary>What <c>/readyz</c> says while full, or null while there is room.</summary>
    public string? WhyFull =>
        Open >= _maxTotal ? $"full: at the connection limit of {_maxTotal} (Splicer:MaxConnections, clamped to the open-files limit)"
        : _descriptors.ConnectionsExhausted ? "full: the kernel path's pipes and the connections hold what the open-files limit leaves"
        : null;

    public bool TryAdmit(IPAddress address, out IDisposable admission, [NotNullWhen(false)] out Ending? refusal)
    {
        var source = SourcePrefix.Of(address, _ipv6PrefixLength);
        lock (_lock)
        {
            refusal = _total >= _maxTotal
                ? Ends.Refused(Refusal.RelayFull, $"the relay already holds {_maxTotal} connections (Splicer:MaxConnections)")
                : _perSource.GetValueOrDefault(source) >= _maxPerSource
                    ? Ends.Refused(Refusal.SourceFull, $"{source} already holds {_maxPerSource} connections (Splicer:MaxConnectionsPerIp)")
                    : null;
            if (refusal is null && !TakeRateToken(source))
            {
                refusal = Ends.Refused(Refusal.SourceRate,
                    $"{source} opened more than {_rate.Burst} connections at once or {_rate.PerSecond} a second (Splicer:SourceRate)");
            }

            if (refusal is null && !_descriptors.TryTakeConnection())
            {
                refusal = Ends.Refused(Refusal.RelayFull,
                    $"{_total} connections and the kernel path's pipes hold what the open-files limit leaves (raise LimitNOFILE)");
            }

            if (refusal is not null)
            {
                admission = NoPlace;
                return false;
            }

            _perSource[source] = _perSource.GetValueOrDefault(source) + 1;
            _total++;
        }

        admission = new Admission(this, source);
        return true;
    }

    public void Dispose() => _rateLimiter?.Dispose();

    private bool TakeRateToken(IPNetwork source)
    {
        if (_rateLimiter is null)
        {
            return true;
        }

        using var lease = _rateLimiter.AttemptAcquire(source);
        return lease.IsAcquired;
    }

    private static PartitionedRateLimiter<IPNetwork> CreateRateLimiter(SourceRateOptions rate)
    {
        // Replenished by the partitioned limiter's own 100 ms heartbeat, which also drops idle sources,
        // rather than by a timer per source: so a period of at least 100 ms, with as many tokens as the rate gives it.
        var tokensPerPeriod = (rate.PerSecond + 9) / 10;
        var options = new TokenBucketRateLimiterOptions
        {
            TokenLimit = rate.Burst,
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = TimeSpan.FromSeconds((double)tokensPerPeriod / rate.PerSecond),
            QueueLimit = 0,
            AutoReplenishment = false,
        };
        return PartitionedRateLimiter.Create<IPNetwork, IPNetwork>(
            source => RateLimitPartition.GetTokenBucketLimiter(source, _ => options));
    }

    private void Release(IPNetwork source)
    {
        _descriptors.ReleaseConnection();
        lock (_lock)
        {
            _total--;
            if (_perSource[source] == 1)
            {
                _perSource.Remove(source);
            }
            else
            {
                _perSource[source]--;
            }
        }
    }

    private sealed class Admission(ConnectionGate gate, IPNetwork source) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release(source);
            }
        }
    }

    private sealed class NoAdmission : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
