using System.Net;

namespace Splicer.Client.PortMapping;

/// <summary>A MAP request for TCP (RFC 6887 sections 7.1 and 11.1).</summary>
internal sealed record PcpMapRequest(
    ReadOnlyMemory<byte> Nonce, IPAddress ClientAddress, int InternalPort, int SuggestedExternalPort, IPAddress SuggestedExternalAddress, uint LifetimeSeconds);
