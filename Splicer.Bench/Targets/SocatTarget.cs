using System.Net;
using Splicer.Bench.Infrastructure;
using Splicer.Tests.Infrastructure;
using Splicer.Bench.Load;

namespace Splicer.Bench.Targets;

/// <summary>socat forking a process per connection, forwarding to the bench's sink.</summary>
internal sealed class SocatTarget : BenchTarget
{
    private const int ProcessesAtOnce = 1000;
    private readonly string? _socat = FindExecutable("socat");

    public override string Name => "socat";

    public override string Key => "socat";

    public override string Description =>
        $"socat TCP-LISTEN:P,fork,reuseaddr TCP:127.0.0.1:SINK (a process per connection; capacity capped at {ProcessesAtOnce} pairs, memory = Pss summed over the processes); a pair = one connection through it to the bench's sink";

    public override int MaxPairs => ProcessesAtOnce;

    public override string? MissingReason() =>
        _socat is null ? "socat not found (apt-get install socat)" : null;

    public override async Task<RunningTarget> StartAsync(BenchEnvironment environment, CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var sink = environment.Sink.EndPoint;
        // bind= keeps it on loopback; backlog= lifts socat's default of 5, which drops SYNs under load.
        string[] arguments =
        [
            $"TCP-LISTEN:{port},bind=127.0.0.1,fork,reuseaddr,backlog=1024",
            $"TCP:{sink.Address}:{sink.Port}",
        ];
        var endPoint = new IPEndPoint(IPAddress.Loopback, port);
        var launch = new RelayLaunch(Name, _socat!, arguments, environment.WorkDirectory, endPoint, ForksPerConnection: true);
        var relay = await RelayProcess.StartAsync(launch, cancellationToken);
        return new RunningTarget(new ForwardedPairOpener(Dialer.Create("tcp", endPoint, null), environment.Sink), relay);
    }
}
