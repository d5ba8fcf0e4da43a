namespace Splicer.Endings;

/// <summary>How the relay answered a handshake: the <c>result</c> label of <c>splicer_handshakes_total</c>.</summary>
public enum Verdict
{
    /// <summary>The ending says nothing about the handshake (it was answered <c>ok</c> earlier, or never reached).</summary>
    None,

    /// <summary>A well-formed handshake was read (the client then waits for a partner).</summary>
    Ok,

    /// <summary>Not a handshake: a byte that cannot be one, or the client closed halfway.</summary>
    Bad,

    /// <summary>Bytes sent after the handshake and before <c>ok</c>.</summary>
    Impatient,

    /// <summary>No whole handshake within <c>Splicer:HandshakeTimeout</c>.</summary>
    TimedOut,

    /// <summary>Turned away by a limit (connections, per source, rate, waiting per token).</summary>
    Refused,
}

public static class VerdictNames
{
    /// <summary>Every verdict that is counted (all but <see cref="Verdict.None"/>).</summary>
    public static readonly Verdict[] Counted = Enum.GetValues<Verdict>().Where(verdict => verdict != Verdict.None).ToArray();

    public static string Name(this Verdict verdict) => verdict switch
    {
        Verdict.Ok => "ok",
        Verdict.Bad => "bad",
        Verdict.Impatient => "impatient",
        Verdict.TimedOut => "timed_out",
        Verdict.Refused => "refused",
        _ => "none",
    };
}
