namespace Splicer.Bench.Reporting;

/// <summary>Folds the figures of several rounds into one per scenario, metric and target.</summary>
internal static class Rounds
{
    /// <summary>The median of each figure, with the range seen when there was more than one round.</summary>
    public static IReadOnlyList<Measurement> Medians(IReadOnlyList<Measurement> all) =>
        all.GroupBy(m => (m.Scenario, m.Metric, m.Target))
            .Select(Median)
            .ToList();

    /// <summary>Wall and CPU seconds added over the rounds, so the cores shown are the average.</summary>
    public static IReadOnlyList<CpuUsage> Totals(IReadOnlyList<CpuUsage> all) =>
        all.GroupBy(usage => (usage.Scenario, usage.Target))
            .Select(rounds => new CpuUsage(
                rounds.Key.Scenario,
                rounds.Key.Target,
                rounds.Sum(usage => usage.WallSeconds),
                rounds.Sum(usage => usage.BenchCpuSeconds),
                rounds.All(usage => usage.RelayCpuSeconds is null) ? null : rounds.Sum(usage => usage.RelayCpuSeconds ?? 0)))
            .ToList();

    private static Measurement Median(IEnumerable<Measurement> rounds)
    {
        var sorted = rounds.OrderBy(m => m.Value).ToList();
        if (sorted.Count == 1)
        {
            return sorted[0];
        }

        var middle = sorted.Count / 2;
        var median = sorted.Count % 2 == 1 ? sorted[middle].Value : (sorted[middle - 1].Value + sorted[middle].Value) / 2;
        var notes = sorted.Select(m => m.Note).OfType<string>().Distinct().ToList();
        return sorted[middle] with
        {
            Value = median,
            Low = sorted[0].Value,
            High = sorted[^1].Value,
            Note = notes.Count == 0 ? null : string.Join("; ", notes),
        };
    }
}
