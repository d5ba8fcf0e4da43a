namespace Splicer.Client.PortMapping;

/// <summary>Why one protocol gave no mapping.</summary>
public sealed record PortMappingFailure(PortMappingProtocol Protocol, string Reason)
{
    public override string ToString() => $"{Protocol.Name()}: {Reason}";
}
