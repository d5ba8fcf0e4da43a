using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Splicer.Accept;
using Splicer.Endings;
using Splicer.Options;
using Splicer.Timing;

namespace Splicer.Accounting;

/// <summary>
/// Refusals as one log line per interval (how many, why, from which sources) instead of a line
/// each: a flood of refused clients costs a counter, not the disk. Metrics count every one.
/// </summary>
internal sealed partial class RefusalSummary(IOptions<SplicerOptions> options, ILogger<RefusalSummary> logger)
    : BackgroundService, ISessionRecorder
{
    private const int MaxSourcesTracked = 1024;
    private const int SourcesShown = 5;

    private readonly int _ipv6PrefixLength = options.Value.IPv6SourcePrefix;
    private readonly TimeSpan _interval = options.Value.RefusalLogInterval;
    private readonly Lock _lock = new();
    private Dictionary<string, int> _byReason = new(StringComparer.Ordinal);
    private Dictionary<IPNetwork, int> _bySource = new();
    private int _total;

    /// <summary>
    /// Formats a source once at start: the first summary may be written while the process is out of
    /// file descriptors, when the runtime could not map an assembly it had not loaded yet.
    /// </summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _ = SourcePrefix.Of(IPAddress.IPv6Loopback, _ipv6PrefixLength).ToString();
        return base.StartAsync(cancellationToken);
    }

    public void Record(EndedRecord record)
    {
        if (record is not ConnectionRecord { Outcome: Outcome.Refused } refused)
        {
            return;
        }

        var reason = refused.Ending.Refusal?.Word ?? "other";
        var source = SourcePrefix.Of(refused.Remote.Address, _ipv6PrefixLength);
        lock (_lock)
        {
            _total++;
            _byReason[reason] = _byReason.GetValueOrDefault(reason) + 1;
            if (_bySource.Count < MaxSourcesTracked || _bySource.ContainsKey(source))
            {
                _bySource[source] = _bySource.GetValueOrDefault(source) + 1;
            }
        }
    }

    /// <summary>Logs what was refused since the last call, if anything was; for the timer and for tests.</summary>
    public void Flush()
    {
        Dictionary<string, int> byReason;
        Dictionary<IPNetwork, int> bySource;
        int total;
        lock (_lock)
        {
            if (_total == 0)
            {
                return;
            }

            (byReason, bySource, total) = (_byReason, _bySource, _total);
            (_byReason, _bySource, _total) = (new(StringComparer.Ordinal), new(), 0);
        }

        var reasons = string.Join(", ", byReason.OrderByDescending(pair => pair.Value).Select(pair => $"{pair.Key} {pair.Value}"));
        var sources = string.Join(", ", bySource.OrderByDescending(pair => pair.Value).Take(SourcesShown).Select(pair => $"{pair.Key} {pair.Value}"));
        LogRefused(logger, total, _interval.TotalSeconds, reasons, sources, bySource.Count);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => PeriodicFlush.RunAsync(_interval, Flush, stoppingToken);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning,
        Message = "Refused {Count} connections in the last {IntervalSeconds:F0}s: {Reasons}; from {Sources} ({SourceCount} sources)")]
    private static partial void LogRefused(ILogger logger, int count, double intervalSeconds, string reasons, string sources, int sourceCount);
}
