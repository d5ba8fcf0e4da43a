namespace Splicer.Fleet;

/// <summary>
/// <c>Splicer:Fleet</c>: this box as one node of a fleet that shares its state through NATS JetStream.
/// Without <see cref="Nats"/> the box runs alone, as it always has, and needs no NATS.
/// </summary>
public sealed class FleetOptions
{
    public const string SectionName = "Splicer:Fleet";

    /// <summary>The NATS server(s) with JetStream, e.g. <c>nats://10.0.0.5:4222</c> (several separated by commas); empty: no fleet.</summary>
    public string? Nats { get; set; }

    /// <summary>A file with the NATS user's credentials (<c>.creds</c>, as <c>nsc</c> writes it), so only nodes of the fleet may join.</summary>
    public string? CredentialsFile { get; set; }

    /// <summary>This node's name in the fleet; unique. Default: the host name.</summary>
    public string NodeId { get; set; } = Environment.MachineName;

    /// <summary>Where other nodes and clients reach this node's splice port, <c>host:port</c>.</summary>
    public string? Address { get; set; }

    /// <summary>The JetStream key-value bucket of the members' records.</summary>
    public string MembersBucket { get; set; } = "splicer-members";

    /// <summary>How often this node refreshes its record.</summary>
    public TimeSpan RefreshEvery { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A record not refreshed for this long is a node that is gone (and the bucket's max age).</summary>
    public TimeSpan RecordLifetime { get; set; } = TimeSpan.FromSeconds(5);

    public bool Enabled => !string.IsNullOrWhiteSpace(Nats);
}
