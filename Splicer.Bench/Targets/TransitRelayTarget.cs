using System.Net;
using Splicer.Bench.Infrastructure;
using Splicer.Tests.Infrastructure;
using Splicer.Bench.Load;

namespace Splicer.Bench.Targets;

/// <summary>The reference transit relay (Python/Twisted, Debian magic-wormhole-transit-relay): same handshake as Splicer.</summary>
internal sealed class TransitRelayTarget : BenchTarget
{
    private readonly string? _twistd = FindExecutable("twistd3");

    public override string Name => "transit-relay";

    public override string Key => "transit-relay";

    public override string Description => "reference transit relay: twistd3 transitrelay (Debian magic-wormhole-transit-relay), same handshake";

    public override string? MissingReason() =>
        _twistd is null ? "twistd3 not found (apt-get install magic-wormhole-transit-relay)" : null;

    public override async Task<RunningTarget> StartAsync(BenchEnvironment environment, CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var directory = Path.Combine(environment.WorkDirectory, $"transit-relay-{port}");
        Directory.CreateDirectory(directory);
        string[] arguments =
        [
            "--nodaemon", // stays the bench's child, so its RSS and CPU can be read and SIGTERM stops it
            "--pidfile", Path.Combine(directory, "transitrelay.pid"),
            "-l", Path.Combine(directory, "transitrelay.log"),
            "transitrelay",
            $"--port=tcp:{port}:interface=127.0.0.1",
        ];
        var endPoint = new IPEndPoint(IPAddress.Loopback, port);
        var relay = await RelayProcess.StartAsync(new RelayLaunch(Name, _twistd!, arguments, directory, endPoint), cancellationToken);
        return new RunningTarget(new RendezvousPairOpener(Dialer.Create("tcp", endPoint, null)), relay);
    }
}
