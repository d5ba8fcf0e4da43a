namespace Splicer.Client;

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

/// <summary>The relay turned the client away with a <c>refused WORD TEXT</c> line.</summary>
public sealed class RelayRefusedException(string word, string text)
    : ClientFailure($"the relay refused: {word} ({text})")
{
    public string Word { get; } = word;
}

/// <summary>The relay closed the connection while it waited for the partner (a pairing timeout, a redundant twin, a restart).</summary>
public class WaitingEndedException(string message) : ClientFailure(message);

/// <summary>
/// The relay closed the connection without pairing: no partner came with this token in its pairing time. Most often a
/// mistyped code, so the message names the code when it is known (the relay only ever sees the token).
/// </summary>
public sealed class NoPartnerException(string? code = null) : WaitingEndedException(
    $"no partner came with {(code is null ? "this code" : "the code " + code)} in the relay's pairing time: "
    + "check that both sides typed the same code (or the relay restarted)");

/// <summary>
/// The end-to-end protected stream from the peer cannot be trusted past this point: a frame failed
/// authentication, or the stream ended without the peer's authenticated end mark. Nothing after the last good
/// frame was handed on.
/// </summary>
public sealed class StreamIntegrityException(string message) : ClientFailure(message);

/// <summary>No address of the relay accepted a TCP connection.</summary>
public sealed class RelayUnreachableException(string message) : ClientFailure(message);
