using Splicer.Admin.Hosting;

namespace Splicer.Admin.Live;

/// <summary>Throughput over one sampling interval.</summary>
public sealed record ThroughputSample(long UnixMilliseconds, double BytesPerSecondAToB, double BytesPerSecondBToA, double PairsPerSecond);

/// <summary>What the dashboard receives every second.</summary>
public sealed record LiveUpdate(
    string Version,
    double UptimeSeconds,
    ThroughputSample Rate,
    RelayTotals Totals,
    IReadOnlyList<ActiveSession> Sessions,
    IReadOnlyList<EndedSession> Recent);
