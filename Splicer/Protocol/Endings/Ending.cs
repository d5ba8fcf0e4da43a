namespace Splicer.Endings;

/// <summary>
/// How a connection or a session ended, decided once: the outcome (mood), the handshake verdict it
/// counts as, the line the client reads before the close (if any), how the socket closes, and a
/// detail for people. Whoever owns the connection applies it; logs, metrics and the admin read it.
/// </summary>
public sealed record Ending(Outcome Outcome, Verdict Verdict, Closing Closing, string Detail, Refusal? Refusal = null, ReadOnlyMemory<byte> Reply = default)
{
    public bool HasReply => !Reply.IsEmpty;
}

/// <summary>How the relay closes the socket when it applies an ending.</summary>
public enum Closing
{
    /// <summary>A FIN: the stream ended in good order.</summary>
    Fin,

    /// <summary>A reset, so the peer learns at once that the stream did not end cleanly.</summary>
    Reset,

    /// <summary>The reply line, then a FIN; what the client sent and the relay did not read is dropped at once.</summary>
    ReplyThenFin,

    /// <summary>
    /// The reply line and a FIN, then what the client still sends is read and discarded for a moment,
    /// so closing over unread bytes does not reset the connection before the client has read the reply.
    /// </summary>
    ReplyThenLinger,
}
