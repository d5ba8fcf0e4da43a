namespace Splicer.Client.Failures;

/// <summary>
/// The relay closed the connection without pairing: no partner came with this token in its pairing time. Most often a
/// mistyped code, so the message names the code when it is known (the relay only ever sees the token).
/// </summary>
public sealed class NoPartnerException(string? code = null) : WaitingEndedException(
    $"no partner came with {(code is null ? "this code" : "the code " + code)} in the relay's pairing time: "
    + "check that both sides typed the same code (or the relay restarted)");
