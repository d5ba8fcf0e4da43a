using System.Diagnostics;
using Splicer.Bench.Load;
using Splicer.Bench.Reporting;

namespace Splicer.Bench.Scenarios;

/// <summary>
/// A fresh relay process, timed from exec until the first pair it joined carried a byte (the relay is useful
/// from then on), then its RSS once settled: what a restart and an idle small box cost.
/// </summary>
internal sealed class StartupScenario : IScenario
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(250);

    public string Name => "startup";

    public string Summary(BenchSettings settings) =>
        $"{settings.Starts} fresh starts: exec to the first pairing that carried a byte (ready marker or accepting port, then a pair), "
        + $"the relay's CPU until then, then the RSS idle after {Settle.TotalSeconds:0} s; medians";

    public TimeSpan Timeout(BenchSettings settings) => TimeSpan.FromSeconds(90) * settings.Starts;

    public async Task RunAsync(ScenarioRun run, CancellationToken cancellationToken)
    {
        var startMilliseconds = new List<double>();
        var cpuMilliseconds = new List<double>();
        var idleKiB = new List<long>();
        for (var start = 0; start < run.Settings.Starts; start++)
        {
            var clock = Stopwatch.StartNew();
            await using var fresh = await run.Target.StartAsync(run.Environment, cancellationToken);
            using (var pair = await fresh.Pairs.OpenAsync(cancellationToken))
            {
                await CarryOneByteAsync(pair, cancellationToken);
            }

            startMilliseconds.Add(clock.Elapsed.TotalMilliseconds);
            if (fresh.Relay?.CpuSeconds() is { } cpu)
            {
                cpuMilliseconds.Add(cpu * 1e3);
            }

            if (fresh.Relay is { } relay && await SettledKiBAsync(relay, cancellationToken) is { } kib)
            {
                idleKiB.Add(kib);
            }
        }

        run.Record("exec to first pairing", "ms", Better.Lower, Median(startMilliseconds));
        if (cpuMilliseconds.Count > 0)
        {
            // On a shared machine the wall time waits for a core; the CPU the start took does not.
            run.Record("CPU to first pairing", "CPU ms", Better.Lower, Median(cpuMilliseconds));
        }

        if (idleKiB.Count > 0)
        {
            run.Record("RSS idle", "MiB", Better.Lower, Median(idleKiB.Select(kib => kib / 1024.0).ToList()));
        }
    }

    private static async Task CarryOneByteAsync(JoinedPair pair, CancellationToken cancellationToken)
    {
        var one = new byte[1];
        await pair.Near.SendAsync(one, cancellationToken);
        await SocketIo.ReceiveExactlyAsync(pair.Far, one, cancellationToken);
    }

    /// <summary>The RSS after <see cref="Settle"/> of idling (start-up garbage collected, background work done).</summary>
    private static async Task<long?> SettledKiBAsync(Infrastructure.RelayProcess relay, CancellationToken cancellationToken)
    {
        long? last = null;
        for (var waited = TimeSpan.Zero; waited < Settle; waited += SampleEvery)
        {
            await Task.Delay(SampleEvery, cancellationToken);
            last = relay.MemoryKiB() ?? last;
        }

        return last;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }
}
