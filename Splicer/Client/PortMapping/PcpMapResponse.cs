using System.Net;

namespace Splicer.Client.PortMapping;

/// <summary>A successful MAP response: the external endpoint, its lifetime and the server's epoch.</summary>
internal sealed record PcpMapResponse(IPEndPoint External, uint LifetimeSeconds, uint Epoch);
