using System.Text;

namespace Splicer.Bench.Reporting;

/// <summary>Renders the figures as plain-text tables: values per target, then Splicer's ratios to each other target.</summary>
internal static class TableWriter
{
    public static string Values(IReadOnlyList<Measurement> measurements, IReadOnlyList<string> targets)
    {
        var rows = Rows(measurements);
        var header = new List<string> { "scenario", "metric", "unit", "better" };
        header.AddRange(targets);
        var lines = new List<string[]>();
        foreach (var (scenario, metric) in rows)
        {
            var first = measurements.First(m => m.Scenario == scenario && m.Metric == metric);
            var line = new List<string> { scenario, metric, first.Unit, first.Better == Better.Higher ? "higher" : "lower" };
            line.AddRange(targets.Select(target => Find(measurements, scenario, metric, target) is { } m ? WithRange(m) : "-"));
            lines.Add([.. line]);
        }

        return Render([.. header], lines);
    }

    private static string WithRange(Measurement m) =>
        m is { Low: { } low, High: { } high } ? $"{Format.Number(m.Value)} ({Format.Number(low)}–{Format.Number(high)})" : Format.Number(m.Value);

    public static string Ratios(IReadOnlyList<Measurement> measurements, string splicer, IReadOnlyList<string> others)
    {
        var header = new List<string> { "scenario", "metric", "better" };
        header.AddRange(others.Select(other => $"{splicer} ÷ {other}"));
        var lines = new List<string[]>();
        foreach (var (scenario, metric) in Rows(measurements))
        {
            if (Find(measurements, scenario, metric, splicer) is not { Ratio: true } ours)
            {
                continue;
            }

            var line = new List<string> { scenario, metric, ours.Better == Better.Higher ? "higher" : "lower" };
            line.AddRange(others.Select(other =>
                Find(measurements, scenario, metric, other) is { Value: > 0 } theirs ? Format.Ratio(ours.Value / theirs.Value) : "-"));
            lines.Add([.. line]);
        }

        return Render([.. header], lines);
    }

    public static string Cpu(IReadOnlyList<CpuUsage> usage)
    {
        string[] header = ["scenario", "target", "measured s", "bench CPU s", "bench cores", "relay CPU s", "relay cores"];
        var lines = usage.Select(u => new[]
        {
            u.Scenario, u.Target, Format.Number(u.WallSeconds), Format.Number(u.BenchCpuSeconds), Format.Number(u.BenchCores),
            u.RelayCpuSeconds is { } relay ? Format.Number(relay) : "-",
            u.RelayCores is { } cores ? Format.Number(cores) : "-",
        }).ToList();
        return Render(header, lines);
    }

    public static Measurement? Find(IReadOnlyList<Measurement> measurements, string scenario, string metric, string target) =>
        measurements.FirstOrDefault(m => m.Scenario == scenario && m.Metric == metric && m.Target == target);

    private static List<(string Scenario, string Metric)> Rows(IReadOnlyList<Measurement> measurements) =>
        measurements.Select(m => (m.Scenario, m.Metric)).Distinct().ToList();

    private static string Render(string[] header, List<string[]> lines)
    {
        var widths = header.Select((title, column) => lines.Select(line => line[column].Length).Append(title.Length).Max()).ToArray();
        var text = new StringBuilder();
        void Line(string[] cells)
        {
            for (var column = 0; column < cells.Length; column++)
            {
                // Text columns left-aligned, figures right-aligned.
                var cell = column < 2 ? cells[column].PadRight(widths[column]) : cells[column].PadLeft(widths[column]);
                text.Append(column == 0 ? "| " : " | ").Append(cell);
            }

            text.AppendLine(" |");
        }

        Line(header);
        text.Append('|').AppendJoin('|', widths.Select((width, column) => new string('-', width + 1) + (column < 2 ? "-" : ":"))).AppendLine("|");
        foreach (var line in lines)
        {
            Line(line);
        }

        return text.ToString();
    }
}
