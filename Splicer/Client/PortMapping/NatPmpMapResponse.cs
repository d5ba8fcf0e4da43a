namespace Splicer.Client.PortMapping;

/// <summary>A NAT-PMP answer to a TCP mapping request (RFC 6886 section 3.3).</summary>
internal sealed record NatPmpMapResponse(int InternalPort, int ExternalPort, uint LifetimeSeconds, uint Epoch);
