namespace Splicer.Endings;

/// <summary>
/// Every ending the relay knows, by name. A new way to refuse or cut a connection is one more
/// member here; whoever owns the connection applies it, and logs, metrics and the admin follow.
/// </summary>
public static class Ends
{
    /// <summary>wormhole's reply to a handshake that cannot be one (byte-exact, as the reference relay).</summary>
    public static readonly ReadOnlyMemory<byte> BadHandshakeLine = "bad handshake\n"u8.ToArray();

    /// <summary>wormhole's reply to bytes sent before <c>ok</c> (byte-exact, as the reference relay).</summary>
    public static readonly ReadOnlyMemory<byte> ImpatientLine = "impatient\n"u8.ToArray();

    // Before pairing.
    public static Ending Refused(Refusal refusal, string detail) =>
        new(Outcome.Refused, Verdict.Refused, Closing.ReplyThenFin, detail, refusal, refusal.Line);

    /// <summary>Refused after the handshake: the client has sent it, so the reply needs the linger to arrive.</summary>
    public static Ending RefusedAfterHandshake(Refusal refusal, string detail) =>
        new(Outcome.Refused, Verdict.Refused, Closing.ReplyThenLinger, detail, refusal, refusal.Line);

    /// <summary>Turned away by the access check or a native line that cannot be read: the reply says why, in its own words.</summary>
    public static Ending Denied(Refusal refusal, string detail) =>
        new(Outcome.Refused, Verdict.Refused, Closing.ReplyThenLinger, detail, refusal, refusal.LineWith(detail));

    /// <summary>A native <c>join</c> redeemed its invite: the credential line, then the close.</summary>
    public static Ending Joined(ReadOnlyMemory<byte> credentialLine, string detail) =>
        new(Outcome.Joined, Verdict.Ok, Closing.ReplyThenLinger, detail, Reply: credentialLine);

    /// <summary>A native <c>punched</c> report, taken: <c>ok</c>, then the close.</summary>
    public static readonly Ending Reported =
        new(Outcome.Reported, Verdict.Ok, Closing.ReplyThenLinger, "reported a direct path's outcome", Reply: "ok\n"u8.ToArray());

    public static Ending BadHandshake(int offset) =>
        new(Outcome.Errory, Verdict.Bad, Closing.ReplyThenLinger, $"bad handshake: unexpected byte at offset {offset}", Reply: BadHandshakeLine);

    public static Ending ClosedDuringHandshake(int validBytes) =>
        new(Outcome.Errory, Verdict.Bad, Closing.Fin, $"closed after {validBytes} bytes of handshake");

    public static Ending FailedDuringHandshake(string error) =>
        new(Outcome.Errory, Verdict.Bad, Closing.Reset, $"connection failed during handshake: {error}");

    /// <summary>A WebSocket upgrade request the relay cannot take: the HTTP status and its reason are the reply.</summary>
    public static Ending UpgradeRefused(int status, string reason, ReadOnlyMemory<byte> response) =>
        new(Outcome.Errory, Verdict.Bad, Closing.ReplyThenLinger, $"websocket upgrade refused: {status} {reason}", Reply: response);

    /// <summary>A TLS handshake that failed or was refused (an old protocol version, a server name the certificate does not cover).</summary>
    public static Ending TlsFailed(string reason) =>
        new(Outcome.Errory, Verdict.Bad, Closing.Fin, "tls handshake failed: " + reason);

    /// <summary>The client broke its transport's rules (a WebSocket text message, a bad frame) before it was paired.</summary>
    public static Ending TransportFailed(string reason) =>
        new(Outcome.Errory, Verdict.Bad, Closing.Fin, reason);

    public static Ending HandshakeTimedOut(TimeSpan timeout) =>
        new(Outcome.TimedOut, Verdict.TimedOut, Closing.Fin, $"no complete handshake within {timeout:c} (Splicer:HandshakeTimeout)");

    public static readonly Ending StoppingDuringHandshake =
        new(Outcome.Lonely, Verdict.None, Closing.ReplyThenFin, "relay stopping during handshake", Refusal.Draining, Refusal.Draining.Line);

    public static readonly Ending Impatient =
        new(Outcome.Errory, Verdict.Impatient, Closing.ReplyThenLinger, "sent data before ok", Reply: ImpatientLine);

    public static readonly Ending LeftWhileWaiting = new(Outcome.Lonely, Verdict.None, Closing.Fin, "left before a partner came");

    public static readonly Ending LostWhileWaiting = new(Outcome.Lonely, Verdict.None, Closing.Reset, "connection lost while waiting");

    public static readonly Ending StoppingWhileWaiting =
        new(Outcome.Lonely, Verdict.None, Closing.ReplyThenFin, "relay stopping", Refusal.Draining, Refusal.Draining.Line);

    public static Ending NoPartner(TimeSpan timeout) =>
        new(Outcome.Lonely, Verdict.None, Closing.Fin, $"no partner within {timeout:c} (Splicer:PairingTimeout)");

    public static readonly Ending Redundant = new(Outcome.Redundant, Verdict.None, Closing.Fin, "another connection on this token was paired");

    /// <summary>A bug or an unforeseen failure: the connection is reset and recorded all the same.</summary>
    public static Ending Unexpected(Exception error) =>
        new(Outcome.Errory, Verdict.None, Closing.Reset, "relay error: " + error.GetType().Name);

    // Paired sessions.
    public static readonly Ending Happy = new(Outcome.Happy, Verdict.None, Closing.Fin, "both sides finished");

    public static Ending Jilted(string detail) => new(Outcome.Jilted, Verdict.None, Closing.Reset, detail);

    public static readonly Ending SideLeftBeforeOk = Jilted("a side left before ok");

    public static readonly Ending EndedByOwner = new(Outcome.Killed, Verdict.None, Closing.Reset, "ended by the owner");

    public static Ending DrainRanOut(TimeSpan timeout) =>
        new(Outcome.Killed, Verdict.None, Closing.Reset, $"still running when the drain time ({timeout:c}) ran out");

    // Sessions cut because whom they serve may no longer come through (docs/protocols.md, "Native handshake"):
    // both sides reset, the record names the door or identity and the reason word.
    public static Ending DoorClosed(long doorId) => Cut(Refusal.DoorClosed, $"door {doorId} was closed");

    public static Ending DoorExpired(long doorId) => Cut(Refusal.DoorExpired, $"door {doorId} expired");

    public static Ending DoorExhausted(long doorId, string what) => Cut(Refusal.DoorExhausted, $"door {doorId} has no {what} left");

    public static Ending CredentialExpired(long identityId) => Cut(Refusal.CredentialExpired, $"the credential of identity {identityId} expired");

    public static Ending IdentityDisabled(long identityId) => Cut(Refusal.IdentityDisabled, $"identity {identityId} was disabled");

    public static Ending IdentityDeleted(long identityId) => Cut(Refusal.UnknownIdentity, $"identity {identityId} was deleted");

    public static Ending QuotaSpent(string detail) => Cut(Refusal.QuotaSpent, detail);

    /// <summary>Refused at pairing: a quota's bytes ran out between the handshake and the partner's arrival.</summary>
    public static Ending QuotaSpentAtPairing(string detail) => Denied(Refusal.QuotaSpent, detail);

    /// <summary>Refused at pairing: the quota's sessions are all running (both sides hear why, then FIN).</summary>
    public static Ending QuotaSessions(string subject, int sessions) =>
        Denied(Refusal.QuotaSessions, $"{subject} already runs its {sessions} sessions");

    public static Ending Idle(TimeSpan timeout) =>
        new(Outcome.TimedOut, Verdict.None, Closing.Reset, $"idle for {timeout:c} (Splicer:IdleTimeout)");

    private static Ending Cut(Refusal reason, string detail) => new(Outcome.Killed, Verdict.None, Closing.Reset, detail, reason);
}
