using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Splicer.Bench.Infrastructure;
using Splicer.Tests.Infrastructure;
using Splicer.Bench.Load;

namespace Splicer.Bench.Targets;

/// <summary>
/// The floor, not a competitor: the least a transit relay can do (one thread, one epoll set, no
/// timeouts, limits or logs), written in C (<c>Floor/floor-relay.c</c>) and built with the system
/// compiler at the first run, cached by the source's hash. What is left of its cost is the kernel's.
/// </summary>
internal sealed class FloorTarget : BenchTarget
{
    private static readonly string Source = Path.Combine(AppContext.BaseDirectory, "Floor", "floor-relay.c");
    private readonly string? _compiler = FindExecutable("cc");

    public override string Name => "C floor";

    public override string Key => "floor";

    public override string Description =>
        "the floor: Floor/floor-relay.c, a single-threaded epoll pairing relay in C built with the system cc (same handshake, no limits, no timeouts)";

    public override string? MissingReason() =>
        _compiler is null ? "cc not found (apt-get install gcc)"
        : File.Exists(Source) ? null
        : $"{Source} is missing";

    public override async Task<RunningTarget> StartAsync(BenchEnvironment environment, CancellationToken cancellationToken)
    {
        var binary = await BuildAsync(cancellationToken);
        var port = FreePort.Next();
        var endPoint = new IPEndPoint(IPAddress.Loopback, port);
        var launch = new RelayLaunch(Name, binary, [port.ToString(System.Globalization.CultureInfo.InvariantCulture)], environment.WorkDirectory, endPoint,
            ReadyMarker: "floor-relay listening");
        var relay = await RelayProcess.StartAsync(launch, cancellationToken);
        return new RunningTarget(new RendezvousPairOpener(Dialer.Create("tcp", endPoint, null)), relay) { EndPoint = endPoint };
    }

    /// <summary>The binary for this source, compiled once per source hash into the temporary folder.</summary>
    private async Task<string> BuildAsync(CancellationToken cancellationToken)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Source, cancellationToken)))[..16];
        var directory = Path.Combine(Path.GetTempPath(), "splicer-bench-floor");
        var binary = Path.Combine(directory, $"floor-relay-{hash}");
        if (File.Exists(binary))
        {
            return binary;
        }

        Directory.CreateDirectory(directory);
        var building = binary + $".{Environment.ProcessId}.tmp";
        var start = new ProcessStartInfo(_compiler!) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-O2", "-Wall", "-o", building, Source })
        {
            start.ArgumentList.Add(argument);
        }

        using var compiler = Process.Start(start) ?? throw new InvalidOperationException($"could not start {_compiler}");
        var errors = compiler.StandardError.ReadToEndAsync(cancellationToken);
        await compiler.StandardOutput.ReadToEndAsync(cancellationToken);
        await compiler.WaitForExitAsync(cancellationToken);
        if (compiler.ExitCode != 0)
        {
            throw new InvalidOperationException($"cc failed on {Source}: {await errors}");
        }

        File.Move(building, binary, overwrite: true);
        return binary;
    }
}
