using System.Net;

namespace Splicer.Options;

/// <summary>The relay's settings, bound from the <c>Splicer</c> configuration section.</summary>
public sealed class SplicerOptions
{
    public const string SectionName = "Splicer";

    /// <summary>TCP port of the splice listener; 0 binds a free port.</summary>
    public int Port { get; set; } = 4001;

    /// <summary>Address to listen on; <c>::</c> is dual-stack (IPv4 and IPv6).</summary>
    public string Address { get; set; } = "::";

    public int Backlog { get; set; } = 4096;

    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan PairingTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Paired sessions with no bytes either way for this long are closed; null means never.</summary>
    public TimeSpan? IdleTimeout { get; set; }

    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public KeepAliveOptions KeepAlive { get; set; } = new();

    /// <summary>Connections held at once, all stages; clamped at start to what the open-files limit allows.</summary>
    public int MaxConnections { get; set; } = 100_000;

    public int MaxWaitingPerToken { get; set; } = 8;

    /// <summary>
    /// Connections held at once from one source: an IPv4 address, or an IPv6 prefix of
    /// <see cref="IPv6SourcePrefix"/> bits. High enough for 300 simultaneous pairs from one address
    /// (a carrier-grade NAT address carries many users).
    /// </summary>
    public int MaxConnectionsPerIp { get; set; } = 1024;

    /// <summary>How many leading bits of an IPv6 address make one source; a host owns a /64.</summary>
    public int IPv6SourcePrefix { get; set; } = 64;

    /// <summary>New connections per source per second, so one source cannot monopolise the accept loop.</summary>
    public SourceRateOptions SourceRate { get; set; } = new();

    /// <summary>How often refusals are summed up in one log line.</summary>
    public TimeSpan RefusalLogInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How bytes are copied between the two sides of a session.</summary>
    public DataPath DataPath { get; set; } = DataPath.Auto;

    /// <summary>
    /// Run socket continuations on the socket engine's event threads instead of the thread pool
    /// (see <see cref="SocketCompletions"/>); read once at start-up.
    /// </summary>
    public bool InlineCompletions { get; set; } = true;

    internal IPAddress ListenAddress() => IPAddress.Parse(Address);
}

public sealed class KeepAliveOptions
{
    public bool Enabled { get; set; } = true;

    public TimeSpan Idle { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    public int Probes { get; set; } = 6;
}

/// <summary>A token bucket per source: <see cref="Burst"/> new connections at once, refilled at <see cref="PerSecond"/>.</summary>
public sealed class SourceRateOptions
{
    public bool Enabled { get; set; } = true;

    public int PerSecond { get; set; } = 200;

    public int Burst { get; set; } = 1000;
}

public enum DataPath
{
    /// <summary>The kernel path where the platform supports it, else pipelines.</summary>
    Auto,
    Pipelines,
    KernelSplice,
}
