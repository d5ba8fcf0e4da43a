namespace Splicer.Client.PortMapping;

internal static class PortMappingProtocolNames
{
    public static string Name(this PortMappingProtocol protocol) => protocol switch
    {
        PortMappingProtocol.Pcp => "PCP",
        PortMappingProtocol.NatPmp => "NAT-PMP",
        _ => "UPnP-IGD",
    };
}
