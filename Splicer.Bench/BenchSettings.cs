using System.Reflection;

namespace Splicer.Bench;

/// <summary>Everything a run is told on the command line; the defaults are the full run.</summary>
internal sealed record BenchSettings
{
    public IReadOnlyList<string> Scenarios { get; init; } = ["throughput", "pairing", "latency", "capacity"];

    /// <summary>Target names to run (direct, splicer, haproxy, socat, transit-relay); empty means all.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>Bytes moved per throughput run, split evenly over the parallel streams.</summary>
    public long ThroughputBytes { get; init; } = 1L << 30;

    public IReadOnlyList<int> Streams { get; init; } = [1, 4, 16];

    public int BufferBytes { get; init; } = 256 * 1024;

    public TimeSpan PairingDuration { get; init; } = TimeSpan.FromSeconds(3);

    public int PairingClients { get; init; } = 8;

    public int PairingMaxPairs { get; init; } = 50_000;

    public int Pings { get; init; } = 20_000;

    /// <summary>Idle pairs held in the capacity scenario, in turn (each count adds to the pairs already held).</summary>
    public IReadOnlyList<int> CapacityCounts { get; init; } = [5_000, 20_000];

    /// <summary>Pairs opened and closed while the most pairs are held, to see that memory stays flat under churn.</summary>
    public int ChurnPairs { get; init; } = 10_000;

    /// <summary>Each value adds a Splicer column started with <c>--Splicer:DataPath=VALUE</c>; empty: Splicer's default.</summary>
    public IReadOnlyList<string> DataPaths { get; init; } = [];

    public string? SplicerDll { get; init; }

    /// <summary>
    /// Each <c>LABEL=PATH</c> adds a column <c>Splicer/LABEL</c> running the published executable at PATH
    /// (e.g. the NativeAOT and the ReadyToRun builds side by side).
    /// </summary>
    public IReadOnlyList<string> SplicerPrograms { get; init; } = [];

    /// <summary>Fresh starts per target in the startup scenario.</summary>
    public int Starts { get; init; } = 5;

    /// <summary>Extra configuration passed to every Splicer started, e.g. <c>--Logging:LogLevel:Default=Warning</c>.</summary>
    public IReadOnlyList<string> SplicerArguments { get; init; } = [];

    /// <summary>Environment variables for every Splicer started (runtime knobs: <c>DOTNET_GCgen0size=…</c>).</summary>
    public IReadOnlyDictionary<string, string> SplicerEnvironment { get; init; } = new Dictionary<string, string>();

    public string JsonPath { get; init; } = DefaultJsonPath;

    /// <summary>Times every scenario runs, targets taking turns; each figure reported is the median over the rounds.</summary>
    public int Rounds { get; init; } = 1;

    /// <summary>bench-results.json in the bench's project folder (ignored by git), wherever the bench is started from.</summary>
    public static string DefaultJsonPath { get; } = Path.Combine(
        typeof(BenchSettings).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key == "BenchProjectDirectory")?.Value ?? Environment.CurrentDirectory,
        "bench-results.json");

    public IReadOnlyDictionary<string, string> Describe() => new Dictionary<string, string>
    {
        ["scenarios"] = string.Join(",", Scenarios),
        ["targets"] = Targets.Count == 0 ? "all" : string.Join(",", Targets),
        ["throughputBytes"] = ThroughputBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["streams"] = string.Join(",", Streams),
        ["bufferBytes"] = BufferBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["pairingSeconds"] = PairingDuration.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["pairingClients"] = PairingClients.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["pings"] = Pings.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["capacityPairs"] = string.Join(",", CapacityCounts),
        ["churnPairs"] = ChurnPairs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["dataPaths"] = DataPaths.Count == 0 ? "(Splicer default)" : string.Join(",", DataPaths),
        ["splicerArguments"] = string.Join(" ", SplicerArguments),
        ["splicerEnvironment"] = string.Join(" ", SplicerEnvironment.Select(pair => $"{pair.Key}={pair.Value}")),
        ["splicerPrograms"] = string.Join(" ", SplicerPrograms),
        ["starts"] = Starts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["rounds"] = Rounds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
