namespace Splicer.Accounting;

/// <summary>How the relay answered a handshake, counted where it decides.</summary>
internal enum HandshakeVerdict
{
    /// <summary>A well-formed handshake was read (the client then waits for a partner).</summary>
    Ok,

    /// <summary>Not a handshake: a byte that cannot be one, or the client closed halfway.</summary>
    Bad,

    /// <summary>Bytes sent after the handshake and before <c>ok</c>.</summary>
    Impatient,

    /// <summary>No whole handshake within <c>Splicer:HandshakeTimeout</c>.</summary>
    TimedOut,

    /// <summary>Turned away by a limit (connections, per address, waiting per token).</summary>
    Refused,
}
