using System.Net;

namespace Splicer.Client.PortMapping;

/// <summary>How <see cref="PortMapper"/> looks for the router; the defaults suit a client on a home LAN.</summary>
public sealed record PortMapperOptions
{
    /// <summary>PCP's and NAT-PMP's server port (RFC 6887, RFC 6886).</summary>
    public const int ServerPortDefault = 5351;

    /// <summary>The router to ask; null: the default route's next hop.</summary>
    public IPAddress? Gateway { get; init; }

    /// <summary>The protocols to try, in order.</summary>
    public IReadOnlyList<PortMappingProtocol> Protocols { get; init; } = [PortMappingProtocol.Pcp, PortMappingProtocol.NatPmp, PortMappingProtocol.Upnp];

    /// <summary>How long one protocol waits for the router before the next is tried (the whole try stays under ~2 s).</summary>
    public TimeSpan ProtocolTimeout { get; init; } = TimeSpan.FromMilliseconds(600);

    /// <summary>How long one HTTP request to a UPnP gateway that answered the search may take.</summary>
    public TimeSpan UpnpRequestTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Where PCP and NAT-PMP requests go on the gateway (tests move it).</summary>
    public int ServerPort { get; init; } = ServerPortDefault;

    /// <summary>Where the SSDP search goes (tests send it to a unicast stand-in).</summary>
    public IPEndPoint SsdpTarget { get; init; } = SsdpSearch.MulticastGroup;
}
