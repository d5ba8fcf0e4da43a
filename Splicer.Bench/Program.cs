using System.CommandLine;
using System.CommandLine.Parsing;
using Splicer.Bench;
using Splicer.Bench.Infrastructure;
using Splicer.Bench.Reporting;

GeneratorSockets.RunContinuationsInline();

var scenarios = new Argument<string[]>("scenario")
{
    Description = $"Scenarios to run: {string.Join(", ", BenchRunner.ScenarioNames)} (default: all)",
    Arity = ArgumentArity.ZeroOrMore,
};
scenarios.AcceptOnlyFromAmong([.. BenchRunner.ScenarioNames, "all"]);

var targets = new Option<string[]>("--targets")
{
    Description = $"Targets to run, comma-separated: {string.Join(", ", BenchRunner.TargetKeys)} (default: all that are installed). "
        + "splicer-native pairs with Splicer's native handshake (credentials checked, Doors mode); its pairing cost beside wormhole's: "
        + "'pairing --targets splicer,splicer-native'",
    AllowMultipleArgumentsPerToken = true,
};
var bytes = new Option<string>("--bytes") { Description = "Bytes per throughput run, split over the streams (e.g. 1G, 256M)", DefaultValueFactory = _ => "1G" };
var streams = new Option<int[]>("--streams") { Description = "Parallel stream counts for throughput (default: 1 4 16)", AllowMultipleArgumentsPerToken = true };
var buffer = new Option<string>("--buffer") { Description = "Send/receive buffer of the load generator", DefaultValueFactory = _ => "256K" };
var pairingSeconds = new Option<double>("--pairing-seconds") { Description = "How long the pairing scenario runs", DefaultValueFactory = _ => 3 };
var pairingClients = new Option<int>("--pairing-clients") { Description = "Concurrent clients in the pairing scenario", DefaultValueFactory = _ => 8 };
var pings = new Option<int>("--pings") { Description = "Ping-pongs measured in the latency scenario", DefaultValueFactory = _ => 20_000 };
var pairs = new Option<int[]>("--pairs") { Description = "Idle pairs held in the capacity scenario, one count after the other (default: 5000 20000)", AllowMultipleArgumentsPerToken = true };
var churn = new Option<int>("--churn-pairs") { Description = "Pairs opened and closed while the most pairs are held (capacity)", DefaultValueFactory = _ => 10_000 };
var dataPath = new Option<string[]>("--data-path")
{
    Description = "Splicer data path, passed as --Splicer:DataPath (Pipelines, KernelSplice, Auto); repeat to compare several",
    AllowMultipleArgumentsPerToken = true,
};
dataPath.AcceptOnlyFromAmong("Pipelines", "KernelSplice", "Auto");
var splicerDll = new Option<string?>("--splicer-dll") { Description = "Splicer.dll to run (default: the Release build next to this project)" };
var splicerPrograms = new Option<string[]>("--splicer-program")
{
    Description = "LABEL=PATH: also run the published Splicer executable at PATH as the column Splicer/LABEL, "
        + "e.g. --splicer-program aot=Splicer/bin/Release/net10.0/linux-x64/aot/Splicer (repeatable)",
};
var starts = new Option<int>("--starts") { Description = "Fresh starts per target in the startup scenario", DefaultValueFactory = _ => 5 };
var splicerArgs = new Option<string[]>("--splicer-arg")
{
    Description = "Extra argument for every Splicer started, e.g. --splicer-arg=--Logging:LogLevel:Default=Warning (repeatable)",
};
var splicerEnv = new Option<string[]>("--splicer-env")
{
    Description = "NAME=VALUE set in every Splicer's environment, e.g. --splicer-env DOTNET_GCgen0size=0x100000 (repeatable)",
};
var json = new Option<string>("--json") { Description = "Where to write all figures as JSON", DefaultValueFactory = _ => BenchSettings.DefaultJsonPath };
var rounds = new Option<int>("--rounds")
{
    Description = "Runs every scenario this many times, the targets taking turns, and reports each figure's median (with its range)",
    DefaultValueFactory = _ => 1,
};
var quick = new Option<bool>("--quick") { Description = "Small sizes for a quick check: 128M, 1.5 s of pairing, 3 000 pings, 500 pairs" };

var root = new RootCommand("Splicer.Bench: throughput, pairing rate, latency and capacity of Splicer against direct loopback, HAProxy, socat and the reference transit relay")
{
    scenarios, targets, bytes, streams, buffer, pairingSeconds, pairingClients, pings, pairs, churn, dataPath, splicerDll, splicerPrograms, starts, splicerArgs, splicerEnv, json, rounds, quick,
};

root.SetAction(async (parse, cancellationToken) =>
{
    var isQuick = parse.GetValue(quick);
    if (!Format.TryParseBytes(parse.GetValue(bytes)!, out var throughputBytes) || !Format.TryParseBytes(parse.GetValue(buffer)!, out var bufferBytes))
    {
        Console.Error.WriteLine("--bytes and --buffer take a size such as 1G, 256M or 64K");
        return 2;
    }

    bool Given(Option option) => parse.GetResult(option) is { Implicit: false };
    var chosen = parse.GetValue(scenarios) ?? [];
    var settings = new BenchSettings
    {
        Scenarios = chosen.Length == 0 || chosen.Contains("all") ? BenchRunner.ScenarioNames : chosen,
        Targets = (parse.GetValue(targets) ?? []).SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList(),
        ThroughputBytes = isQuick && !Given(bytes) ? 128L << 20 : throughputBytes,
        Streams = parse.GetValue(streams) is { Length: > 0 } counts ? counts : [1, 4, 16],
        BufferBytes = (int)Math.Clamp(bufferBytes, 1024, 16 << 20),
        PairingDuration = TimeSpan.FromSeconds(isQuick && !Given(pairingSeconds) ? 1.5 : Math.Clamp(parse.GetValue(pairingSeconds), 0.1, 600)),
        PairingClients = Math.Clamp(parse.GetValue(pairingClients), 1, 256),
        Pings = Math.Clamp(isQuick && !Given(pings) ? 3_000 : parse.GetValue(pings), 10, 10_000_000),
        CapacityCounts = isQuick && !Given(pairs) ? [500]
            : parse.GetValue(pairs) is { Length: > 0 } held ? held.Select(count => Math.Clamp(count, 1, 30_000)).ToList() : [5_000, 20_000],
        ChurnPairs = Math.Clamp(isQuick && !Given(churn) ? 500 : parse.GetValue(churn), 0, 1_000_000),
        DataPaths = parse.GetValue(dataPath) ?? [],
        SplicerDll = parse.GetValue(splicerDll),
        SplicerPrograms = parse.GetValue(splicerPrograms) ?? [],
        Starts = Math.Clamp(isQuick && !Given(starts) ? 2 : parse.GetValue(starts), 1, 100),
        SplicerArguments = parse.GetValue(splicerArgs) ?? [],
        SplicerEnvironment = (parse.GetValue(splicerEnv) ?? []).Select(pair => pair.Split('=', 2)).Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1]),
        JsonPath = parse.GetValue(json)!,
        Rounds = Math.Clamp(parse.GetValue(rounds), 1, 9),
    };

    if (settings.SplicerPrograms.FirstOrDefault(program => program.Split('=', 2) is not [{ Length: > 0 }, { Length: > 0 }]) is { } bad)
    {
        Console.Error.WriteLine($"--splicer-program takes LABEL=PATH, not '{bad}'");
        return 2;
    }

    var unknown = settings.Targets.Except(BenchRunner.TargetKeys, StringComparer.OrdinalIgnoreCase).ToList();
    if (unknown.Count > 0)
    {
        Console.Error.WriteLine($"Unknown target(s) {string.Join(", ", unknown)}; known: {string.Join(", ", BenchRunner.TargetKeys)}");
        return 2;
    }

    return await new BenchRunner(settings, Console.Out).RunAsync(cancellationToken);
});

return await root.Parse(args).InvokeAsync();
