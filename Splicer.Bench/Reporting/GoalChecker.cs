namespace Splicer.Bench.Reporting;

/// <summary>Issue 6's speed and memory targets, checked on the figures of this run.</summary>
internal static class GoalChecker
{
    public static IEnumerable<GoalCheck> Check(IReadOnlyList<Measurement> measurements, string splicer)
    {
        yield return Relative(measurements, splicer, "throughput", "N=1", "HAProxy",
            $"{splicer} single-stream throughput ≥ 1.1× HAProxy's", atLeast: 1.1);
        yield return Relative(measurements, splicer, "throughput", "N=1", "direct",
            $"{splicer} single-stream throughput ≥ 0.6× direct loopback", atLeast: 0.6);
        yield return Relative(measurements, splicer, "pairing", "pairs/s", "transit-relay",
            $"{splicer} pairs/s ≥ 3× the reference transit relay's", atLeast: 3);
        yield return Relative(measurements, splicer, "latency", "RTT p99", "transit-relay",
            $"{splicer} p99 RTT ≤ 0.5× the reference transit relay's", atMost: 0.5);

        var perPair = TableWriter.Find(measurements, "capacity", "RSS per pair", splicer);
        yield return perPair is null
            ? new GoalCheck($"{splicer} ≤ 4 KiB RSS per idle pair", null, 4, null, "not measured in this run")
            : new GoalCheck($"{splicer} ≤ 4 KiB RSS per idle pair", perPair.Value, 4, perPair.Value <= 4,
                $"{Format.Number(perPair.Value)} KiB per pair");
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
