using System.Net;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Splicer.Admin.Hosting;
using Splicer.Timing;

namespace Splicer.Admin.Access;

/// <summary>
/// Counts failed and refused logins per source and writes one warning a minute when there were
/// any, instead of a line per try: a guesser would otherwise fill the log.
/// </summary>
internal sealed partial class FailedLoginLog(ILogger<FailedLoginLog> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    // Bounds the table when tries come from very many sources; the rest are counted together.
    private const int TrackedSources = 1000;
    private const int NamedSources = 5;

    private readonly Lock _lock = new();
    private Dictionary<IPAddress, Tally> _tallies = [];
    private Tally _untracked;

    /// <summary>A wrong credential was checked.</summary>
    public void Failed(IPAddress source) => Count(source, new Tally(1, 0));

    /// <summary>A try was turned away unchecked, since too many from its source were waiting.</summary>
    public void Refused(IPAddress source) => Count(source, new Tally(0, 1));

    /// <summary>Writes the summary of the tries since the last one, if there were any.</summary>
    public void Flush()
    {
        Dictionary<IPAddress, Tally> tallies;
        Tally untracked;
        lock (_lock)
        {
            (tallies, _tallies) = (_tallies, []);
            (untracked, _untracked) = (_untracked, default);
        }

        if (tallies.Count == 0)
        {
            return;
        }

        var total = tallies.Values.Aggregate(untracked, (sum, tally) => sum + tally);
        LogSummary(logger, total.Failed, total.Refused, Describe(tallies, untracked));
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => PeriodicFlush.RunAsync(Interval, Flush, stoppingToken);

    private void Count(IPAddress source, Tally tally)
    {
        lock (_lock)
        {
            if (_tallies.Count >= TrackedSources && !_tallies.ContainsKey(source))
            {
                _untracked += tally;
                return;
            }

            ref var current = ref CollectionsMarshal.GetValueRefOrAddDefault(_tallies, source, out _);
            current += tally;
        }
    }

    private static string Describe(Dictionary<IPAddress, Tally> tallies, Tally untracked)
    {
        var named = tallies
            .OrderByDescending(entry => entry.Value.Failed + entry.Value.Refused)
            .Take(NamedSources)
            .Select(entry => $"{LoginSource.Describe(entry.Key)} ({entry.Value.Failed} failed, {entry.Value.Refused} refused)");
        var description = string.Join(", ", named);
        if (tallies.Count > NamedSources)
        {
            description += $" and {tallies.Count - NamedSources} more sources";
        }

        return untracked == default ? description : description + $", and more beyond the first {TrackedSources}";
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning,
        Message = "Admin logins in the past minute: {Failed} failed and {Refused} refused as too many, from {Sources}")]
    private static partial void LogSummary(ILogger logger, int failed, int refused, string sources);

    private readonly record struct Tally(int Failed, int Refused)
    {
        public static Tally operator +(Tally a, Tally b) => new(a.Failed + b.Failed, a.Refused + b.Refused);
    }
}
