namespace Splicer.Client.Failures;

/// <summary>The relay closed the connection while it waited for the partner (a pairing timeout, a redundant twin, a restart).</summary>
public class WaitingEndedException(string message) : ClientFailure(message);
