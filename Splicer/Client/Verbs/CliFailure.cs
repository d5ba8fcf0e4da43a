namespace Splicer.Client.Verbs;

/// <summary>A verb that could not do what was asked; the message is for the person, the code is the exit code.</summary>
internal sealed class CliFailure(string message, int exitCode = CliExit.Failed) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
