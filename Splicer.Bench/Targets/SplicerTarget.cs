using System.Net;
using System.Reflection;
using Splicer.Bench.Infrastructure;
using Splicer.Tests.Infrastructure;
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
/// <param name="transport">
/// How the clients of every pair reach the relay: <c>tcp</c> (the kernel path), or <c>tls</c>, <c>ws</c>,
/// <c>wss</c> for both (the user-space copy; the relay serves the run's certificate), or <c>NEAR-FAR</c>
/// such as <c>tls-tcp</c>, a TLS sender paired with a plain TCP receiver (one TLS end per pair, as
/// HAProxy/tls has): the column <c>Splicer/tls</c>, target key <c>splicer-tls</c>, and so on.
/// </param>
/// <param name="published">A published executable to run instead of <c>dotnet Splicer.dll</c>: the column <c>Splicer/LABEL</c>.</param>
internal sealed class SplicerTarget(
    string? dataPath, string? splicerDll, IReadOnlyList<string> extraArguments, bool native = false, string transport = "tcp",
    PublishedSplicer? published = null) : BenchTarget
{
    private const string ReadyMarker = "Splice listener bound to";
    private readonly string _dll = splicerDll ?? BuiltSplicerDll();

    public override string Name => published is not null ? $"Splicer/{published.Label}"
        : (dataPath is null ? "Splicer" : $"Splicer/{dataPath}") + (native ? "/native" : "") + (IsTcp ? "" : $"/{transport}");

    public override string Key => (native ? "splicer-native" : "splicer") + (IsTcp ? "" : $"-{transport}");

    private bool IsTcp => transport == "tcp";

    private string NearKind => transport.Split('-')[0];

    private string FarKind => transport.Split('-')[^1];

    /// <summary>The Splicer.dll this target runs; the client scenario runs its <c>splicer pipe</c> too.</summary>
    public string Dll => _dll;

    public override string Description => published is not null ? $"Splicer, published: {published.Path}" :
        $"Splicer ({_dll}){(dataPath is null ? "" : $", --Splicer:DataPath={dataPath}")}{(IsTcp ? "" : $", pairs of a {NearKind} sender and a {FarKind} receiver")}"
        + (BuiltInRelease ? "" : "; WARNING: not a Release build");

    private bool BuiltInRelease => _dll.Contains("/Release/", StringComparison.Ordinal);

    // The issue-6 goals are the plain wormhole path's; the native and other transports' columns stand beside it.
    public override bool IsSplicer => !native && IsTcp && published is null;

    public override string? MissingReason() =>
        published is not null ? (File.Exists(published.Path) ? null : $"{published.Path} not found: publish it (see docs/appliance.md \"Small box build\")") :
        File.Exists(_dll) ? null : $"{_dll} not found: build it with 'dotnet build -c Release Splicer' or pass --splicer-dll";

    public override async Task<RunningTarget> StartAsync(BenchEnvironment environment, CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var arguments = new List<string>
        {
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

        if (!IsTcp)
        {
            arguments.Add($"--Splicer:Tls:Certificate={environment.Certificate.CertificatePath}");
            arguments.Add($"--Splicer:Tls:Key={environment.Certificate.KeyPath}");
        }

        arguments.AddRange(extraArguments);

        var endPoint = new IPEndPoint(IPAddress.Loopback, port);
        var launch = (published is null
            ? new RelayLaunch(Name, "dotnet", [_dll, .. arguments], Path.GetDirectoryName(_dll)!, endPoint, ReadyMarker)
            : new RelayLaunch(Name, published.Path, arguments, Path.GetDirectoryName(published.Path)!, endPoint, ReadyMarker))
            with
            {
                Environment = environment.Settings.SplicerEnvironment,
            };
        var relay = await RelayProcess.StartAsync(launch, cancellationToken);
        var near = Dialer.Create(NearKind, endPoint, environment.Certificate);
        var far = Dialer.Create(FarKind, endPoint, environment.Certificate);
        IPairOpener pairs = nativeState is null ? new RendezvousPairOpener(near, far) : new NativePairOpener(near, nativeState);
        return new RunningTarget(pairs, relay) { EndPoint = endPoint };
    }

    private static string BuiltSplicerDll() =>
        typeof(SplicerTarget).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key == "SplicerDll")?.Value
        ?? Path.Combine(AppContext.BaseDirectory, "Splicer.dll");
}

/// <summary>A published Splicer executable (NativeAOT, ReadyToRun single file) and its column label.</summary>
internal sealed record PublishedSplicer(string Label, string Path)
{
    public string Path { get; } = System.IO.Path.GetFullPath(Path);
}
