using System.Net;
using System.Reflection;
using Splicer.Bench.Infrastructure;
using Splicer.Bench.Load;

namespace Splicer.Bench.Targets;

/// <summary>
/// Splicer itself, as its own process (<c>dotnet Splicer.dll</c>, the Release build made with the
/// bench), so that its memory and CPU are its own.
/// </summary>
/// <param name="native">
/// Pairs with the native handshake (credentials, proofs, a door) in <c>Doors</c> mode instead of wormhole's
/// in <c>Open</c> mode: the column <c>Splicer/native</c>, target key <c>splicer-native</c>.
/// </param>
internal sealed class SplicerTarget(string? dataPath, string? splicerDll, IReadOnlyList<string> extraArguments, bool native = false) : BenchTarget
{
    private const string ReadyMarker = "Splice listener bound to";
    private readonly string _dll = splicerDll ?? BuiltSplicerDll();

    public override string Name => (dataPath is null ? "Splicer" : $"Splicer/{dataPath}") + (native ? "/native" : "");

    public override string Key => native ? "splicer-native" : "splicer";

    /// <summary>The Splicer.dll this target runs; the client scenario runs its <c>splicer pipe</c> too.</summary>
    public string Dll => _dll;

    public override string Description =>
        $"Splicer ({_dll}){(dataPath is null ? "" : $", --Splicer:DataPath={dataPath}")}{(BuiltInRelease ? "" : "; WARNING: not a Release build")}";

    private bool BuiltInRelease => _dll.Contains("/Release/", StringComparison.Ordinal);

    // The issue-6 goals are the wormhole path's; the native column stands beside it.
    public override bool IsSplicer => !native;

    public override string? MissingReason() =>
        File.Exists(_dll) ? null : $"{_dll} not found: build it with 'dotnet build -c Release Splicer' or pass --splicer-dll";

    public override async Task<RunningTarget> StartAsync(BenchEnvironment environment, CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var arguments = new List<string>
        {
            _dll,
            $"--Splicer:Port={port}",
            "--Splicer:Address=127.0.0.1",
            $"--Admin:Url=http://127.0.0.1:{FreePort.Next()}",
            // All bench clients come from 127.0.0.1, thousands a second: the per-source limit and rate
            // (defaults 1 024 held, 200 new a second) would refuse them.
            "--Splicer:MaxConnectionsPerIp=1000000",
            "--Splicer:SourceRate:Enabled=false",
            "--Splicer:DrainTimeout=00:00:05",
        };
        if (dataPath is not null)
        {
            arguments.Add($"--Splicer:DataPath={dataPath}");
        }

        // Every relay keeps its state in a fresh folder of the run's (so usage from earlier runs costs
        // nothing); the native one's is seeded first. --splicer-arg=--Splicer:Usage:Enabled=false
        // measures the relay without usage recording.
        var stateDirectory = Directory.CreateDirectory(Path.Combine(environment.WorkDirectory, $"state-{Guid.NewGuid():N}")).FullName;
        arguments.Add($"--Splicer:StateDirectory={stateDirectory}");
        var nativeState = native ? await NativeBenchState.SeedAsync(stateDirectory, cancellationToken) : null;
        if (nativeState is not null)
        {
            arguments.Add("--Splicer:Access:Mode=Doors");
            arguments.Add($"--Splicer:Access:RelayName={nativeState.RelayName}");
        }

        arguments.AddRange(extraArguments);

        var endPoint = new IPEndPoint(IPAddress.Loopback, port);
        var launch = new RelayLaunch(Name, "dotnet", arguments, Path.GetDirectoryName(_dll)!, endPoint, ReadyMarker);
        var relay = await RelayProcess.StartAsync(launch, cancellationToken);
        IPairOpener pairs = nativeState is null ? new RendezvousPairOpener(endPoint) : new NativePairOpener(endPoint, nativeState);
        return new RunningTarget(pairs, relay) { EndPoint = endPoint };
    }

    private static string BuiltSplicerDll() =>
        typeof(SplicerTarget).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key == "SplicerDll")?.Value
        ?? Path.Combine(AppContext.BaseDirectory, "Splicer.dll");
}
