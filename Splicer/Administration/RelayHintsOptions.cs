namespace Splicer.Administration;

/// <summary>How clients outside reach the relay (<c>Splicer:Hints</c>), for the relay hints the admin API serves.</summary>
public sealed class RelayHintsOptions
{
    public const string SectionName = "Splicer:Hints";

    /// <summary>The relay's public host name; by default the TLS certificate's first name, else the host the admin was asked by.</summary>
    public string? Host { get; set; }

    /// <summary>The public port (e.g. 443 behind a port forward); by default the port the relay listens on.</summary>
    public int? Port { get; set; }

    /// <summary>A name for the relay in the hint, shown by clients that show one.</summary>
    public string? Name { get; set; }
}
