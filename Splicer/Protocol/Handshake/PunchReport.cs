namespace Splicer.Handshake;

/// <summary>
/// <c>splicer 1 punched TICKET OUTCOME</c>: a client says how the direct path the broker advised went, with the
/// ticket from its <c>paired … report=TICKET</c> line (which is all the authority it needs: it counts once).
/// </summary>
public sealed record PunchReport(string Ticket, PunchOutcome Outcome) : NativeHandshake
{
    public const int TicketLength = 16;

    public static bool TryParseOutcome(string text, out PunchOutcome outcome)
    {
        outcome = text == "direct" ? PunchOutcome.Direct : PunchOutcome.Relayed;
        return text is "direct" or "relayed";
    }

    public override string ToString() => $"punched {Outcome.Name()}";
}

/// <summary>How a brokered direct path went, as its client reports it.</summary>
public enum PunchOutcome
{
    /// <summary>The stream moved to a proven direct connection.</summary>
    Direct,

    /// <summary>No direct connection came up (or none was proven): the stream stayed on the relay.</summary>
    Relayed,
}

public static class PunchOutcomes
{
    public static string Name(this PunchOutcome outcome) => outcome == PunchOutcome.Direct ? "direct" : "relayed";
}

/// <summary>Where reports of brokered direct paths go (the broker's tickets, in the rendezvous).</summary>
public interface IPunchReports
{
    /// <summary>Counts the report if its ticket is one the broker gave and has not been used; unknown tickets count nothing.</summary>
    void Record(PunchReport report);
}
