using Splicer.Bench.Infrastructure;
using Splicer.Bench.Load;

namespace Splicer.Bench.Targets;

/// <summary>What a target needs from the run: the bench's sink, a scratch folder, the settings, the run's TLS certificate.</summary>
internal sealed record BenchEnvironment(SinkListener Sink, string WorkDirectory, BenchSettings Settings, BenchCertificate Certificate);

/// <summary>Something bytes can go through: direct loopback, Splicer, or a peer a user might pick instead.</summary>
internal abstract class BenchTarget
{
    /// <summary>Column name in the table.</summary>
    public abstract string Name { get; }

    /// <summary>The name used on the command line (<c>--targets</c>).</summary>
    public abstract string Key { get; }

    public abstract string Description { get; }

    /// <summary>True for a relay process whose memory and CPU can be read; false for direct loopback.</summary>
    public virtual bool HasRelayProcess => true;

    public virtual bool IsSplicer => false;

    /// <summary>The most pairs the capacity scenario may hold through this target on this machine.</summary>
    public virtual int MaxPairs => int.MaxValue;

    /// <summary>Why the target cannot run here (not installed, not built), or null.</summary>
    public virtual string? MissingReason() => null;

    public abstract Task<RunningTarget> StartAsync(BenchEnvironment environment, CancellationToken cancellationToken);

    protected static string? FindExecutable(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/sbin", "/sbin", "/usr/bin"]))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>A started target: how to open pairs through it and, if it is a process, the process.</summary>
internal sealed class RunningTarget(IPairOpener pairs, RelayProcess? relay) : IAsyncDisposable
{
    public IPairOpener Pairs { get; } = pairs;

    public RelayProcess? Relay { get; } = relay;

    /// <summary>The relay's splice port, for scenarios that run clients of their own against it.</summary>
    public System.Net.IPEndPoint? EndPoint { get; init; }

    public ValueTask DisposeAsync() => Relay?.DisposeAsync() ?? ValueTask.CompletedTask;
}
