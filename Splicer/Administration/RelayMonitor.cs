using Splicer.Accept;
using Splicer.Accounting;
using Splicer.Admin;
using Splicer.Admin.Hosting;
using Splicer.Endings;
using Splicer.Handshake;
using Splicer.Rendezvous;
using Splicer.Rendezvous.Direct;
using Splicer.Splice;

namespace Splicer.Administration;

/// <summary>The engine's side of <see cref="IRelayMonitor"/>: reads the registry, the table and the counters.</summary>
internal sealed class RelayMonitor(
    SessionRegistry registry,
    PairingTable table,
    StageCounters counters,
    RelayedBytes bytes,
    RecentSessions recent,
    PunchCounters punches) : IRelayMonitor
{
    public IReadOnlyList<ActiveSession> ActiveSessions() =>
        registry.Sessions.Select(session => new ActiveSession(
            session.Id,
            session.TokenPrefix,
            session.A.RemoteText,
            session.B.RemoteText,
            session.Age.TotalSeconds,
            session.AToB.Bytes,
            session.BToA.Bytes)).ToArray();

    public IReadOnlyList<EndedSession> RecentSessions() => recent.ToArray();

    public RelayTotals Totals()
    {
        var (aToB, bToA) = bytes.Current();
        return new RelayTotals(
            counters.Accepted,
            registry.Started,
            registry.Count,
            table.WaitingTokens,
            table.WaitingConnections,
            aToB,
            bToA,
            punches.Results(PunchOutcome.Direct),
            punches.Results(PunchOutcome.Relayed));
    }

    public bool TryEndSession(long id) => registry.TryEnd(id, Ends.EndedByOwner);
}
