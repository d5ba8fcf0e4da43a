namespace Splicer.Bench.Reporting;

/// <summary>Issue 6's speed targets and issue 16's cost of a pair, checked on the figures of this run.</summary>
internal static class GoalChecker
{
    public static IEnumerable<GoalCheck> Check(IReadOnlyList<Measurement> measurements, string splicer)
    {
        yield return Relative(measurements, splicer, "throughput", "N=1", "HAProxy",
            $"{splicer} single-stream throughput ≥ 1.1× HAProxy's", atLeast: 1.1);
        yield return Relative(measurements, splicer, "throughput", "N=1", "direct",
            $"{splicer} single-stream throughput ≥ 0.6× direct loopback", atLeast: 0.6);
        yield return Relative(measurements, splicer, "pairing", "relay CPU per pair", "C floor",
            $"{splicer} relay CPU per pair ≤ 1.5× the C floor's", atMost: 1.5);
        yield return Relative(measurements, splicer, "pairing", "relay CPU per pair", "transit-relay",
            $"{splicer} relay CPU per pair ≤ 0.5× the reference transit relay's", atMost: 0.5);
        yield return Relative(measurements, splicer, "latency", "RTT p99", "transit-relay",
            $"{splicer} p99 RTT ≤ 0.5× the reference transit relay's", atMost: 0.5);

        // The first count held (5 000 by default) and the most held (20 000 where the fd limit allows).
        var most = measurements.Where(m => m.Scenario == "capacity" && m.Target == splicer && m.Metric.StartsWith("RSS per pair @", StringComparison.Ordinal))
            .Select(m => m.Metric).LastOrDefault() ?? "RSS per pair @20000";
        foreach (var metric in new[] { "RSS per pair", most })
        {
            var goal = $"{splicer} ≤ 2 KiB {metric.Replace("RSS per pair", "RSS per idle pair", StringComparison.Ordinal)}";
            var perPair = TableWriter.Find(measurements, "capacity", metric, splicer);
            yield return perPair is null
                ? new GoalCheck(goal, null, 2, null, "not measured in this run")
                : new GoalCheck(goal, perPair.Value, 2, perPair.Value <= 2, $"{Format.Number(perPair.Value)} KiB per pair");
        }

        // Issue 16: throughput kept with many streams, and the round trip a relay adds.
        yield return Relative(measurements, splicer, "throughput", "N=16", "HAProxy",
            $"{splicer} 16-stream throughput ≥ 1.2× HAProxy's", atLeast: 1.2);
        yield return Relative(measurements, splicer, "throughput", "relay CPU per GiB", "HAProxy",
            $"{splicer} CPU per GiB relayed ≤ 0.8× HAProxy's", atMost: 0.8);
        yield return AddedOverDirect(measurements, splicer, "RTT p99",
            $"{splicer} p99 RTT added over direct loopback ≤ 0.7× what HAProxy adds", atMost: 0.7);
    }

    /// <summary>Issue 16's small box, for every Splicer column measured in the startup scenario (published builds too).</summary>
    public static IEnumerable<GoalCheck> SmallBox(IReadOnlyList<Measurement> measurements, string splicer)
    {
        yield return Absolute(measurements, splicer, "startup", "exec to first pairing", $"{splicer} exec to first pairing ≤ 100 ms", 100);
        yield return Absolute(measurements, splicer, "startup", "RSS idle", $"{splicer} idle RSS ≤ 40 MiB", 40);
    }

    private static GoalCheck Absolute(IReadOnlyList<Measurement> measurements, string splicer, string scenario, string metric, string goal, double atMost)
    {
        var ours = TableWriter.Find(measurements, scenario, metric, splicer);
        return ours is null
            ? new GoalCheck(goal, null, atMost, null, "not measured in this run")
            : new GoalCheck(goal, ours.Value, atMost, ours.Value <= atMost, $"{Format.Number(ours.Value)} {ours.Unit}");
    }

    /// <summary>What Splicer adds to <paramref name="metric"/> over direct loopback, against what HAProxy adds.</summary>
    private static GoalCheck AddedOverDirect(IReadOnlyList<Measurement> measurements, string splicer, string metric, string goal, double atMost)
    {
        var ours = TableWriter.Find(measurements, "latency", metric, splicer);
        var haproxy = TableWriter.Find(measurements, "latency", metric, "HAProxy");
        var direct = TableWriter.Find(measurements, "latency", metric, "direct");
        if (ours is null || haproxy is null || direct is null || haproxy.Value <= direct.Value)
        {
            return new GoalCheck(goal, null, atMost, null, "not measured in this run (needs direct, Splicer and HAProxy)");
        }

        var ratio = (ours.Value - direct.Value) / (haproxy.Value - direct.Value);
        return new GoalCheck(goal, ratio, atMost, ratio <= atMost,
            $"+{Format.Number(ours.Value - direct.Value)} vs +{Format.Number(haproxy.Value - direct.Value)} {ours.Unit} over direct's {Format.Number(direct.Value)} = {Format.Ratio(ratio)}");
    }

    private static GoalCheck Relative(
        IReadOnlyList<Measurement> measurements, string splicer, string scenario, string metric, string other, string goal,
        double? atLeast = null, double? atMost = null)
    {
        var ours = TableWriter.Find(measurements, scenario, metric, splicer);
        var theirs = TableWriter.Find(measurements, scenario, metric, other);
        var required = atLeast ?? atMost!.Value;
        if (ours is null || theirs is null || theirs.Value <= 0)
        {
            return new GoalCheck(goal, null, required, null, "not measured in this run");
        }

        var ratio = ours.Value / theirs.Value;
        var met = atLeast is { } floor ? ratio >= floor : ratio <= atMost!.Value;
        return new GoalCheck(goal, ratio, required, met,
            $"{Format.Number(ours.Value)} vs {Format.Number(theirs.Value)} {ours.Unit} = {Format.Ratio(ratio)}");
    }
}
