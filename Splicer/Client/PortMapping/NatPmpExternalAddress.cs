using System.Net;

namespace Splicer.Client.PortMapping;

/// <summary>A NAT-PMP answer to "what is your external address" (RFC 6886 section 3.2).</summary>
internal sealed record NatPmpExternalAddress(IPAddress Address, uint Epoch);
