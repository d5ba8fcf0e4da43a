namespace Splicer.Client.PortMapping;

/// <summary>What one try got: the mapping (null when no protocol gave one) and why each protocol tried before it failed.</summary>
public sealed record PortMappingAttempt(PortMapping? Mapping, IReadOnlyList<PortMappingFailure> Failures);
