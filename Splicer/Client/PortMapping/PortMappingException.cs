namespace Splicer.Client.PortMapping;

/// <summary>A router did not give the mapping; the message says why, for a person (no secret in it).</summary>
public sealed class PortMappingException(string reason) : Exception(reason);

/// <summary>Why one protocol gave no mapping.</summary>
public sealed record PortMappingFailure(PortMappingProtocol Protocol, string Reason)
{
    public override string ToString() => $"{Protocol.Name()}: {Reason}";
}

/// <summary>A mapping as the router granted it: where the world reaches it, and for how long (zero: until deleted).</summary>
public sealed record PortMappingGrant(System.Net.IPEndPoint External, TimeSpan Lifetime);
