namespace Splicer.Endings;

/// <summary>Every way a connection or a session can end (the transit relay's "moods").</summary>
public enum Outcome
{
    /// <summary>Paired, and both sides finished sending (or closed) in good order.</summary>
    Happy,

    /// <summary>Paired, and one side reset or failed, so the other was cut off.</summary>
    Jilted,

    /// <summary>Never paired: the client left, waited too long, or the relay stopped first.</summary>
    Lonely,

    /// <summary>Closed because another connection on the same token was paired first.</summary>
    Redundant,

    /// <summary>Not a client: a bad handshake, bytes sent before <c>ok</c>, or a relay error.</summary>
    Errory,

    /// <summary>A handshake not finished in time, or a paired session idle for too long.</summary>
    TimedOut,

    /// <summary>Turned away by a limit (connections, per source, rate, waiting per token).</summary>
    Refused,

    /// <summary>
    /// Ended by the owner from the admin API, cut when the drain time ran out, or cut because its door
    /// closed, expired or ran out, or its identity was disabled or deleted.
    /// </summary>
    Killed,

    /// <summary>Not a session: a native <c>join</c> that redeemed an invite, answered with a credential and closed.</summary>
    Joined,

    /// <summary>Not a session: a native <c>punched</c> line reporting how a brokered direct path went, answered <c>ok</c> and closed.</summary>
    Reported,
}

public static class OutcomeNames
{
    /// <summary>The lower-case name used in logs, metrics labels and the API.</summary>
    public static string Name(this Outcome outcome) => outcome switch
    {
        Outcome.Happy => "happy",
        Outcome.Jilted => "jilted",
        Outcome.Lonely => "lonely",
        Outcome.Redundant => "redundant",
        Outcome.Errory => "errory",
        Outcome.TimedOut => "timed_out",
        Outcome.Refused => "refused",
        Outcome.Killed => "killed",
        Outcome.Joined => "joined",
        Outcome.Reported => "reported",
        _ => outcome.ToString(),
    };
}
