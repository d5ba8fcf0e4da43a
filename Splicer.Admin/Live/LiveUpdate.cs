namespace Splicer.Admin.Live;

/// <summary>Throughput over one sampling interval.</summary>
public sealed record ThroughputSample(long UnixMilliseconds, double BytesPerSecondAToB, double BytesPerSecondBToA, double PairsPerSecond);

/// <summary>A running session as the UI and API show it: the snapshot plus its current rate.</summary>
public sealed record SessionView(
    long Id,
    string TokenPrefix,
    string RemoteA,
    string RemoteB,
    double AgeSeconds,
    long BytesAToB,
    long BytesBToA,
    double BytesPerSecondAToB,
    double BytesPerSecondBToA);

/// <summary>What the dashboard receives every second.</summary>
public sealed record LiveUpdate(
    string Version,
    double UptimeSeconds,
    ThroughputSample Rate,
    RelayTotals Totals,
    IReadOnlyList<SessionView> Sessions,
    IReadOnlyList<EndedSession> Recent);
