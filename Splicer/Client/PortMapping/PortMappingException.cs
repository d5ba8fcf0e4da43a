namespace Splicer.Client.PortMapping;

/// <summary>A router did not give the mapping; the message says why, for a person (no secret in it).</summary>
public sealed class PortMappingException(string reason) : Exception(reason);
