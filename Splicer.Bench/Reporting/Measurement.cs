namespace Splicer.Bench.Reporting;

public enum Better
{
    Higher,
    Lower,
}

/// <summary>
/// One figure: a metric of a scenario on one target. <paramref name="Ratio"/> false: an absolute figure
/// that no ratio makes clearer. Over several rounds, <paramref name="Value"/> is the median and
/// <paramref name="Low"/>..<paramref name="High"/> the range seen.
/// </summary>
public sealed record Measurement(
    string Scenario, string Metric, string Unit, Better Better, string Target, double Value,
    string? Note = null, bool Ratio = true, double? Low = null, double? High = null);

/// <summary>Wall time and CPU seconds spent by the bench and by the relay in a scenario's measured sections.</summary>
public sealed record CpuUsage(string Scenario, string Target, double WallSeconds, double BenchCpuSeconds, double? RelayCpuSeconds)
{
    public double BenchCores => WallSeconds > 0 ? BenchCpuSeconds / WallSeconds : 0;

    public double? RelayCores => WallSeconds > 0 ? RelayCpuSeconds / WallSeconds : null;
}

/// <summary>A target that did not run (not installed) or a scenario that failed on it.</summary>
public sealed record Skip(string Target, string? Scenario, string Reason);

/// <summary>A target of issue 6 and how this run did against it.</summary>
public sealed record GoalCheck(string Goal, double? Ratio, double Required, bool? Met, string Detail);

public sealed record TargetInfo(string Name, string Description);

public sealed record BenchReport(
    DateTimeOffset StartedAt,
    string Machine,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyList<TargetInfo> Targets,
    IReadOnlyList<Measurement> Measurements,
    IReadOnlyList<CpuUsage> Cpu,
    IReadOnlyList<Skip> Skipped,
    IReadOnlyList<GoalCheck> Goals);
