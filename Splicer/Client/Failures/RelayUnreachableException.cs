namespace Splicer.Client.Failures;

/// <summary>No address of the relay accepted a TCP connection.</summary>
public sealed class RelayUnreachableException(string message) : ClientFailure(message);
