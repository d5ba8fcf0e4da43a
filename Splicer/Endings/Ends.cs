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

    public static Ending BadHandshake(int offset) =>
        new(Outcome.Errory, Verdict.Bad, Closing.ReplyThenLinger, $"bad handshake: unexpected byte at offset {offset}", Reply: BadHandshakeLine);

    public static Ending ClosedDuringHandshake(int validBytes) =>
        new(Outcome.Errory, Verdict.Bad, Closing.Fin, $"closed after {validBytes} bytes of handshake");

    public static Ending FailedDuringHandshake(string error) =>
        new(Outcome.Errory, Verdict.Bad, Closing.Reset, $"connection failed during handshake: {error}");

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

    public static Ending Idle(TimeSpan timeout) =>
        new(Outcome.TimedOut, Verdict.None, Closing.Reset, $"idle for {timeout:c} (Splicer:IdleTimeout)");
}
