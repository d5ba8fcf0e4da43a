namespace Splicer.Client.PortMapping;

/// <summary>The ways to ask the client's own router for an inbound mapping, in the order they are tried.</summary>
public enum PortMappingProtocol
{
    /// <summary>Port Control Protocol (RFC 6887), MAP opcode.</summary>
    Pcp,

    /// <summary>NAT Port Mapping Protocol (RFC 6886), PCP's predecessor.</summary>
    NatPmp,

    /// <summary>UPnP Internet Gateway Device: SSDP discovery and WANIPConnection SOAP actions.</summary>
    Upnp,
}
