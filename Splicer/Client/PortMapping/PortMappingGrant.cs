namespace Splicer.Client.PortMapping;

/// <summary>A mapping as the router granted it: where the world reaches it, and for how long (zero: until deleted).</summary>
public sealed record PortMappingGrant(System.Net.IPEndPoint External, TimeSpan Lifetime);
