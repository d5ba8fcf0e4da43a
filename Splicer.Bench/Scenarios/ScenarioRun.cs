using Splicer.Bench.Reporting;
using Splicer.Bench.Targets;

namespace Splicer.Bench.Scenarios;

/// <summary>One scenario on one started target: where the scenario records its figures and CPU.</summary>
internal sealed class ScenarioRun(string scenario, BenchTarget target, RunningTarget running, BenchEnvironment environment)
{
    private readonly List<Measurement> _measurements = [];

    public BenchTarget Target { get; } = target;

    public RunningTarget Running { get; } = running;

    public BenchSettings Settings => Environment.Settings;

    /// <summary>What the target was started with; a scenario may start it again (startup).</summary>
    public BenchEnvironment Environment { get; } = environment;

    public CpuMeter Cpu { get; } = new(running.Relay);

    public IReadOnlyList<Measurement> Measurements => _measurements;

    public CpuUsage CpuUsage => new(scenario, Target.Name, Cpu.WallSeconds, Cpu.BenchCpuSeconds, Cpu.RelayCpuSeconds);

    public void Record(string metric, string unit, Better better, double value, string? note = null, bool ratio = true) =>
        _measurements.Add(new Measurement(scenario, metric, unit, better, Target.Name, value, note, ratio));
}

/// <summary>A kind of load the bench puts through every target, one after the other.</summary>
internal interface IScenario
{
    string Name { get; }

    /// <summary>One line telling what is measured, for the output.</summary>
    string Summary(BenchSettings settings);

    bool AppliesTo(BenchTarget target) => true;

    /// <summary>The hard limit for one target; the run is cancelled past it.</summary>
    TimeSpan Timeout(BenchSettings settings);

    Task RunAsync(ScenarioRun run, CancellationToken cancellationToken);
}
