using System.Net;
using Splicer.Bench.Infrastructure;
using Splicer.Bench.Load;

namespace Splicer.Bench.Targets;

/// <summary>HAProxy in tcp mode with splice(2) forced both ways, forwarding to the bench's sink.</summary>
internal sealed class HaproxyTarget : BenchTarget
{
    private const int MaxConnections = 4000; // two descriptors per connection under the 20 000 fd limit
    private readonly string? _haproxy = FindExecutable("haproxy");

    public override string Name => "HAProxy";

    public override string Key => "haproxy";

    public override string Description =>
        $"HAProxy tcp mode, option splice-request + splice-response, maxconn {MaxConnections}; a pair = one connection through it to the bench's sink";

    public override int MaxPairs => MaxConnections - 100;

    public override string? MissingReason() =>
        _haproxy is null ? "haproxy not found (apt-get install haproxy)" : null;

    public override async Task<RunningTarget> StartAsync(BenchEnvironment environment, CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var configPath = Path.Combine(environment.WorkDirectory, $"haproxy-{port}.cfg");
        await File.WriteAllTextAsync(configPath, Config(port, environment.Sink.EndPoint), cancellationToken);
        var endPoint = new IPEndPoint(IPAddress.Loopback, port);
        var launch = new RelayLaunch(Name, _haproxy!, ["-db", "-f", configPath], environment.WorkDirectory, endPoint);
        var relay = await RelayProcess.StartAsync(launch, cancellationToken);
        return new RunningTarget(new ForwardedPairOpener(endPoint, environment.Sink), relay);
    }

    private static string Config(int port, IPEndPoint sink) => $"""
        global
            maxconn {MaxConnections}

        defaults
            mode tcp
            timeout connect 10s
            timeout client 10m
            timeout server 10m

        listen bench
            bind 127.0.0.1:{port}
            maxconn {MaxConnections}
            option splice-request
            option splice-response
            server sink {sink.Address}:{sink.Port}

        """;
}
