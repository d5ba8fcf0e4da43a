using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.Hosting;
using Splicer.Admin.Hosting;

namespace Splicer.Admin.Live;

/// <summary>
/// Once a second: reads the relay's totals and sessions, turns the differences into rates, keeps
/// the last five minutes for the chart and publishes an update to the live feed.
/// </summary>
internal sealed class ThroughputSampler(IRelayMonitor monitor, LiveFeed feed) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    public const int ShownSessions = 200;

    private readonly long _startedAt = Stopwatch.GetTimestamp();

    // Each session's bytes and rate at the last sample, in two tables used in turn, so that a sample
    // of many idle sessions makes no object per session (they would live a second and clog the GC).
    private readonly Lock _ratesLock = new();
    private Dictionary<long, SessionRate> _rates = [];
    private Dictionary<long, SessionRate> _spareRates = [];
    private RelayTotals? _previousTotals;
    private long _previousAt;

    public static string Version { get; } =
        typeof(ThroughputSampler).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "unknown";

    /// <summary>The last five minutes of samples, oldest first.</summary>
    public BoundedRing<ThroughputSample> History { get; } = new((int)(TimeSpan.FromMinutes(5) / Interval));

    public TimeSpan Uptime => Stopwatch.GetElapsedTime(_startedAt);

    /// <summary>The running sessions now, each with its rate over the last interval.</summary>
    public IReadOnlyList<ActiveSession> CurrentSessions()
    {
        var sessions = monitor.ActiveSessions();
        lock (_ratesLock)
        {
            return sessions.Select(session => View(session, _rates.GetValueOrDefault(session.Id))).ToArray();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        Sample();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Sample();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void Sample()
    {
        var now = Stopwatch.GetTimestamp();
        var seconds = _previousTotals is null ? 0 : Stopwatch.GetElapsedTime(_previousAt, now).TotalSeconds;
        var totals = monitor.Totals();
        var rate = Rate(totals, seconds);
        var sessions = monitor.ActiveSessions();
        ActiveSession[] shown;
        lock (_ratesLock)
        {
            var previous = _rates;
            var next = _spareRates;
            next.Clear();
            foreach (var session in sessions)
            {
                next[session.Id] = NextRate(session, previous, seconds);
            }

            (_rates, _spareRates) = (next, previous);
            shown = sessions.OrderByDescending(session => session.Id).Take(ShownSessions)
                .Select(session => View(session, next[session.Id])).ToArray();
        }

        _previousTotals = totals;
        _previousAt = now;
        History.Add(rate);

        feed.Publish(new LiveUpdate(Version, Uptime.TotalSeconds, rate, totals, shown, monitor.RecentSessions()));
    }

    private ThroughputSample Rate(RelayTotals totals, double seconds)
    {
        var time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (_previousTotals is not { } before || seconds <= 0)
        {
            return new ThroughputSample(time, 0, 0, 0);
        }

        return new ThroughputSample(
            time,
            PerSecond(totals.BytesAToB - before.BytesAToB, seconds),
            PerSecond(totals.BytesBToA - before.BytesBToA, seconds),
            PerSecond(totals.SessionsStarted - before.SessionsStarted, seconds));
    }

    /// <summary>With <paramref name="seconds"/> zero the rate is carried over from the last sample.</summary>
    private static SessionRate NextRate(ActiveSession session, Dictionary<long, SessionRate> previous, double seconds)
    {
        var known = previous.TryGetValue(session.Id, out var before);
        var (rateAToB, rateBToA) = (seconds, known) switch
        {
            ( <= 0, false) => (0d, 0d),
            ( <= 0, true) => (before.PerSecondAToB, before.PerSecondBToA),
            _ => (PerSecond(session.BytesAToB - before.BytesAToB, seconds),
                  PerSecond(session.BytesBToA - before.BytesBToA, seconds)),
        };
        return new SessionRate(session.BytesAToB, session.BytesBToA, rateAToB, rateBToA);
    }

    private static ActiveSession View(ActiveSession session, SessionRate rate) =>
        session with { BytesPerSecondAToB = rate.PerSecondAToB, BytesPerSecondBToA = rate.PerSecondBToA };

    private static double PerSecond(long delta, double seconds) => Math.Max(0, delta) / seconds;

    private readonly record struct SessionRate(long BytesAToB, long BytesBToA, double PerSecondAToB, double PerSecondBToA);
}
