using System.Text.Json;
using System.Text.Json.Serialization;
using Splicer.Bench.Infrastructure;
using Splicer.Bench.Load;
using Splicer.Bench.Reporting;
using Splicer.Bench.Scenarios;
using Splicer.Bench.Targets;

namespace Splicer.Bench;

/// <summary>Runs each chosen scenario against each available target (a fresh process each time), then reports.</summary>
internal sealed class BenchRunner(BenchSettings settings, TextWriter output)
{
    private static readonly IScenario[] AllScenarios =
        [new ThroughputScenario(), new PairingRateScenario(), new LatencyScenario(), new CapacityScenario(), new StartupScenario(), new ClientPipeScenario()];

    private readonly List<Measurement> _measurements = [];
    private readonly List<CpuUsage> _cpu = [];
    private readonly List<Skip> _skipped = [];

    public static IReadOnlyList<string> ScenarioNames => AllScenarios.Select(scenario => scenario.Name).ToList();

    public static IReadOnlyList<string> TargetKeys =>
        ["direct", "floor", "splicer", "splicer-native", .. SplicerTransports.Select(transport => $"splicer-{transport}"), "haproxy", "haproxy-tls", "socat", "transit-relay"];

    /// <summary>Splicer columns whose clients use another transport than plain TCP (NEAR-FAR: a sender and a receiver of two kinds).</summary>
    private static readonly string[] SplicerTransports = ["tls", "tls-tcp", "ws", "wss"];

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.Now;
        var fdLimit = Libc.RaiseFileDescriptorLimit();
        var machine = DescribeMachine(fdLimit);
        output.WriteLine($"Splicer.Bench — {machine}");
        output.WriteLine($"Note: the load generator (this process), the relay and the sink share these {Environment.ProcessorCount} cores; figures are noisy on a shared machine, compare within one run.");

        var targets = ChooseTargets();
        var available = new List<BenchTarget>();
        foreach (var target in targets)
        {
            if (target.MissingReason() is { } reason)
            {
                output.WriteLine($"skipped {target.Name}: {reason}");
                _skipped.Add(new Skip(target.Name, null, reason));
            }
            else
            {
                output.WriteLine($"target {target.Name}: {target.Description}");
                available.Add(target);
            }
        }

        var workDirectory = Directory.CreateTempSubdirectory("splicer-bench-").FullName;
        try
        {
            await using var sink = new SinkListener();
            using var certificate = BenchCertificate.Create(workDirectory);
            var environment = new BenchEnvironment(sink, workDirectory, settings, certificate);
            foreach (var scenario in AllScenarios.Where(scenario => settings.Scenarios.Contains(scenario.Name)))
            {
                output.WriteLine();
                output.WriteLine($"== {scenario.Name}: {scenario.Summary(settings)}");
                // Targets take turns round by round, so a machine that slows down for a while
                // weighs on every target alike instead of on whichever ran then.
                for (var round = 1; round <= settings.Rounds; round++)
                {
                    foreach (var target in available.Where(scenario.AppliesTo))
                    {
                        await RunOneAsync(scenario, target, environment, round, cancellationToken);
                    }
                }
            }
        }
        finally
        {
            Directory.Delete(workDirectory, recursive: true);
        }

        var report = Report(startedAt, machine, available);
        Print(report, available);
        await WriteJsonAsync(report, cancellationToken);
        return 0;
    }

    private async Task RunOneAsync(IScenario scenario, BenchTarget target, BenchEnvironment environment, int round, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(scenario.Timeout(settings));
        try
        {
            await using var running = await target.StartAsync(environment, timeout.Token);
            var run = new ScenarioRun(scenario.Name, target, running, environment);
            await scenario.RunAsync(run, timeout.Token);
            _measurements.AddRange(run.Measurements);
            _cpu.Add(run.CpuUsage);
            var figures = string.Join(", ", run.Measurements.Select(m => $"{m.Metric} {Format.Number(m.Value)} {m.Unit}{(m.Note is null ? "" : $" ({m.Note})")}"));
            var label = settings.Rounds > 1 ? $"{target.Name} ({round}/{settings.Rounds})" : target.Name;
            output.WriteLine($"  {label,-22} {figures}   [bench CPU {Format.Number(run.CpuUsage.BenchCores)} cores]");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = ex is OperationCanceledException ? $"no result within {scenario.Timeout(settings).TotalSeconds:0} s" : $"{ex.GetType().Name}: {ex.Message}";
            output.WriteLine($"  {target.Name,-22} failed: {reason}");
            _skipped.Add(new Skip(target.Name, scenario.Name, reason));
        }
    }

    private List<BenchTarget> ChooseTargets()
    {
        bool Wanted(string key) => settings.Targets.Count == 0 || settings.Targets.Contains(key, StringComparer.OrdinalIgnoreCase);
        var targets = new List<BenchTarget>();
        if (Wanted("direct"))
        {
            targets.Add(new DirectTarget());
        }

        if (Wanted("floor"))
        {
            targets.Add(new FloorTarget());
        }

        if (Wanted("splicer"))
        {
            var dataPaths = settings.DataPaths.Count == 0 ? [null] : settings.DataPaths.Select(path => (string?)path);
            targets.AddRange(dataPaths.Select(path => new SplicerTarget(path, settings.SplicerDll, settings.SplicerArguments)));
            targets.AddRange(settings.SplicerPrograms.Select(program => program.Split('=', 2))
                .Select(program => new SplicerTarget(null, settings.SplicerDll, settings.SplicerArguments, published: new PublishedSplicer(program[0], program[1]))));
        }

        if (Wanted("splicer-native"))
        {
            targets.Add(new SplicerTarget(null, settings.SplicerDll, settings.SplicerArguments, native: true));
        }

        foreach (var transport in SplicerTransports.Where(transport => Wanted($"splicer-{transport}")))
        {
            targets.Add(new SplicerTarget(null, settings.SplicerDll, settings.SplicerArguments, transport: transport));
        }

        BenchTarget[] peers = [new HaproxyTarget(), new HaproxyTarget(tls: true), new SocatTarget(), new TransitRelayTarget()];
        targets.AddRange(peers.Where(peer => Wanted(peer.Key)));
        return targets;
    }

    private BenchReport Report(DateTimeOffset startedAt, string machine, List<BenchTarget> targets)
    {
        var measurements = Rounds.Medians(_measurements);
        // Every plain-TCP Splicer column, published builds (--splicer-program) included.
        var splicers = targets.OfType<SplicerTarget>().Where(splicer => splicer.Key == "splicer").ToList();
        var goals = splicers.SelectMany(splicer => GoalChecker.Check(measurements, splicer.Name))
            .Concat(splicers.Where(_ => settings.Scenarios.Contains("startup")).SelectMany(splicer => GoalChecker.SmallBox(measurements, splicer.Name)))
            .ToList();
        return new BenchReport(startedAt, machine, settings.Describe(),
            targets.Select(target => new TargetInfo(target.Name, target.Description)).ToList(),
            measurements, Rounds.Totals(_cpu), _skipped, goals);
    }

    private void Print(BenchReport report, List<BenchTarget> targets)
    {
        var names = targets.Select(target => target.Name).ToList();
        output.WriteLine();
        output.WriteLine("Figures (a pair through HAProxy or socat is one connection through it to the bench's own sink, which they do not pair):");
        output.WriteLine(TableWriter.Values(report.Measurements, names));
        foreach (var noted in report.Measurements.Where(m => m.Note is not null))
        {
            output.WriteLine($"  note: {noted.Target}, {noted.Scenario} {noted.Metric}: {noted.Note}");
        }

        foreach (var splicer in targets.Where(target => target.IsSplicer))
        {
            var others = names.Where(name => name != splicer.Name).ToList();
            output.WriteLine($"Ratios ({splicer.Name} ÷ each other target; for 'lower' rows below 1× is better):");
            output.WriteLine(TableWriter.Ratios(report.Measurements, splicer.Name, others));
        }

        output.WriteLine("CPU in the measured sections (the bench is the load generator plus the sink; 'cores' = CPU s ÷ wall s, of " + Environment.ProcessorCount + "):");
        output.WriteLine(TableWriter.Cpu(report.Cpu));

        if (report.Goals.Count > 0)
        {
            output.WriteLine("Targets (issue 6 speed, issue 16 cost of a pair):");
            foreach (var goal in report.Goals)
            {
                var verdict = goal.Met switch { true => "met", false => "MISSED", null => "n/a" };
                output.WriteLine($"  [{verdict,-6}] {goal.Goal}: {goal.Detail}");
            }
        }

        foreach (var skip in report.Skipped)
        {
            output.WriteLine($"  skipped {skip.Target}{(skip.Scenario is null ? "" : $" in {skip.Scenario}")}: {skip.Reason.Split('\n')[0]}");
        }
    }

    private async Task WriteJsonAsync(BenchReport report, CancellationToken cancellationToken)
    {
        var options = new JsonSerializerOptions
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        };
        var path = Path.GetFullPath(settings.JsonPath);
        await using (var file = File.Create(path))
        {
            await JsonSerializer.SerializeAsync(file, report, options, cancellationToken);
        }

        output.WriteLine($"All figures written to {path}");
    }

    private static string DescribeMachine(ulong fdLimit)
    {
        var kernel = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : Environment.OSVersion.VersionString;
        var load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
        return $"{Environment.ProcessorCount} cores, Linux {kernel}, .NET {Environment.Version}, fd limit {fdLimit}, load average {load} at start";
    }
}
