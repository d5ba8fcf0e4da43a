namespace Splicer.Client.Failures;

/// <summary>
/// A client verb that could not do its work: the message is for the person at the terminal (no secret in it),
/// the code is the exit code (1 failed, 2 usage).
/// </summary>
public class ClientFailure(string message, int exitCode = ClientFailure.Failed) : Exception(message)
{
    public const int Failed = 1;
    public const int Usage = 2;

    public int ExitCode { get; } = exitCode;
}
