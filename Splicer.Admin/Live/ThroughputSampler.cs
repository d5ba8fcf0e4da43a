using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.Hosting;

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
    private Dictionary<long, SessionView> _previousSessions = [];
    private RelayTotals? _previousTotals;
    private long _previousAt;

    public static string Version { get; } =
        typeof(ThroughputSampler).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "unknown";

    /// <summary>The last five minutes of samples, oldest first.</summary>
    public BoundedRing<ThroughputSample> History { get; } = new((int)(TimeSpan.FromMinutes(5) / Interval));

    public TimeSpan Uptime => Stopwatch.GetElapsedTime(_startedAt);

    /// <summary>The running sessions now, each with its rate over the last interval.</summary>
    public IReadOnlyList<SessionView> CurrentSessions()
    {
        var previous = Volatile.Read(ref _previousSessions);
        return monitor.ActiveSessions().Select(session => View(session, previous, 0)).ToArray();
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
        var previous = _previousSessions;
        var sessions = monitor.ActiveSessions().Select(session => View(session, previous, seconds)).ToDictionary(view => view.Id);

        Volatile.Write(ref _previousSessions, sessions);
        _previousTotals = totals;
        _previousAt = now;
        History.Add(rate);

        var shown = sessions.Values.OrderByDescending(view => view.Id).Take(ShownSessions).ToArray();
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
    private static SessionView View(ActiveSession session, Dictionary<long, SessionView> previous, double seconds)
    {
        previous.TryGetValue(session.Id, out var before);
        var (rateAToB, rateBToA) = (seconds, before) switch
        {
            ( <= 0, null) => (0d, 0d),
            ( <= 0, _) => (before.BytesPerSecondAToB, before.BytesPerSecondBToA),
            _ => (PerSecond(session.BytesAToB - (before?.BytesAToB ?? 0), seconds),
                  PerSecond(session.BytesBToA - (before?.BytesBToA ?? 0), seconds)),
        };
        return new SessionView(session.Id, session.TokenPrefix, session.RemoteA, session.RemoteB, session.AgeSeconds,
            session.BytesAToB, session.BytesBToA, rateAToB, rateBToA);
    }

    private static double PerSecond(long delta, double seconds) => Math.Max(0, delta) / seconds;
}
