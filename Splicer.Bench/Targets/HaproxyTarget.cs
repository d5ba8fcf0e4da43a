using System.Net;
using Splicer.Bench.Infrastructure;
using Splicer.Tests.Infrastructure;
using Splicer.Bench.Load;

namespace Splicer.Bench.Targets;

/// <summary>
/// HAProxy in tcp mode forwarding to the bench's sink: plain with splice(2) forced both ways, or (with
/// <paramref name="tls"/>) ending TLS with the run's certificate in front of the plain sink, the anchor
/// for what TLS costs a relay.
/// </summary>
internal sealed class HaproxyTarget(bool tls = false) : BenchTarget
{
    private const int MaxConnections = 4000; // two descriptors per connection under the 20 000 fd limit
    private readonly string? _haproxy = FindExecutable("haproxy");

    public override string Name => tls ? "HAProxy/tls" : "HAProxy";

    public override string Key => tls ? "haproxy-tls" : "haproxy";

    public override string Description => tls
        ? $"HAProxy tcp mode ending TLS (bind ssl crt, TLS 1.2+, the run's ECDSA P-256 certificate), maxconn {MaxConnections}; a pair = one TLS client through it to the bench's plain sink"
        : $"HAProxy tcp mode, option splice-request + splice-response, maxconn {MaxConnections}; a pair = one connection through it to the bench's sink";

    public override int MaxPairs => MaxConnections - 100;

    public override string? MissingReason() =>
        _haproxy is null ? "haproxy not found (apt-get install haproxy)" : null;

    public override async Task<RunningTarget> StartAsync(BenchEnvironment environment, CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var configPath = Path.Combine(environment.WorkDirectory, $"haproxy-{port}.cfg");
        await File.WriteAllTextAsync(configPath, Config(port, environment.Sink.EndPoint, environment.Certificate), cancellationToken);
        var endPoint = new IPEndPoint(IPAddress.Loopback, port);
        var launch = new RelayLaunch(Name, _haproxy!, ["-db", "-f", configPath], environment.WorkDirectory, endPoint);
        var relay = await RelayProcess.StartAsync(launch, cancellationToken);
        var entry = Dialer.Create(tls ? "tls" : "tcp", endPoint, environment.Certificate);
        return new RunningTarget(new ForwardedPairOpener(entry, environment.Sink), relay);
    }

    private string Config(int port, IPEndPoint sink, BenchCertificate certificate)
    {
        var bind = tls ? $"bind 127.0.0.1:{port} ssl crt {certificate.CombinedPath} ssl-min-ver TLSv1.2" : $"bind 127.0.0.1:{port}";
        // splice(2) cannot reach bytes that HAProxy must decrypt or encrypt.
        var (spliceRequest, spliceResponse) = tls ? ("", "") : ("option splice-request", "option splice-response");
        return $"""
            global
                maxconn {MaxConnections}

            defaults
                mode tcp
                timeout connect 10s
                timeout client 10m
                timeout server 10m

            listen bench
                {bind}
                maxconn {MaxConnections}
                {spliceRequest}
                {spliceResponse}
                server sink {sink.Address}:{sink.Port}

            """;
    }
}
