using Microsoft.Extensions.Logging;
using Splicer.Accept;
using Splicer.Endings;
using Splicer.Handshake;
using Splicer.Rendezvous;
using Splicer.Rendezvous.Direct;

namespace Splicer.Splice;

/// <summary>Runs a pair from <c>ok</c> to close: tells both sides, copies, decides the ending once, applies and records it.</summary>
internal sealed partial class SessionRunner(
    ISpliceEngine engine,
    StreamSpliceEngine streams,
    SessionRegistry registry,
    ISessionGovernance governance,
    IEndingRecorder recorder,
    DirectPathBroker broker,
    ILogger<SessionRunner> logger) : ISessionStarter
{
    /// <summary>Runs the session on its own; nothing waits for it, so it records and logs every way it can end.</summary>
    public void Start(RelayConnection waiter, RelayConnection arrival, Task? waiterReadiness = null)
    {
        if (!waiter.TryJoinSession())
        {
            // Unreachable by the pending state's rules; kept so a broken rule shows as a record, not a leaked socket.
            _ = arrival.EndAsync(Ends.Jilted("the waiting side had already ended"));
            return;
        }

        if (!arrival.TryJoinSession())
        {
            waiter.LeaveSession();
            _ = waiter.EndAsync(Ends.Jilted("the arriving side had already ended"));
            return;
        }

        _ = RunAsync(waiter, arrival, waiterReadiness);
    }

    private async Task RunAsync(RelayConnection waiter, RelayConnection arrival, Task? waiterReadiness)
    {
        var session = new SpliceSession(waiter, arrival, waiter.Age) { WaiterReadiness = waiterReadiness };
        registry.Add(session);
        var end = SpliceEnd.Aborted;
        try
        {
            LogPaired(logger, session.Id, session.TokenPrefix, waiter.Remote, arrival.Remote);
            if (await governance.AdmitAsync(session, CancellationToken.None) is { } refused)
            {
                session.End(refused);
            }
            else
            {
                await governance.AttachAsync(session, CancellationToken.None);
                var copy = session.IsPlainTcp ? engine : streams;
                end = await SayOkAsync(session) ? await copy.RunAsync(session) : SpliceEnd.Failed(Ends.SideLeftBeforeOk.Detail);
            }
        }
        catch (Exception ex)
        {
            LogUnexpected(logger, ex, session.Id);
            session.End(Ends.Unexpected(ex));
        }
        finally
        {
            registry.Retire(session, () => Settle(session, end));
        }
    }

    private void Settle(SpliceSession session, SpliceEnd end)
    {
        var ending = Decide(session, end);
        session.A.CloseInSession(ending.Closing);
        session.B.CloseInSession(ending.Closing);
        recorder.Record(ToRecord(session, ending));
        governance.Settle(session);
    }

    /// <summary>
    /// Each side hears that its partner came: a wormhole client <c>ok</c>, a native one <c>paired</c>, with the
    /// broker's advice for a direct path when both asked for one.
    /// </summary>
    private async ValueTask<bool> SayOkAsync(SpliceSession session)
    {
        var (toA, toB) = broker.PairedLines(session.A, session.B);
        return await session.A.TrySendLineAsync(toA, session.Aborted) & await session.B.TrySendLineAsync(toB, session.Aborted);
    }

    /// <summary>An ending asked for from outside (owner, idle timer, drain, a failed direction) wins; else the copy's own end.</summary>
    internal static Ending Decide(SpliceSession session, SpliceEnd end) => session.EndRequest switch
    {
        { } requested => requested,
        null when end.Kind == SpliceEndKind.Finished => Ends.Happy,
        _ => Ends.Jilted(end.Detail),
    };

    private static SessionRecord ToRecord(SpliceSession session, Ending ending) => new(
        session.Id,
        session.TokenPrefix,
        session.A.Side,
        session.B.Side,
        session.A.Remote,
        session.B.Remote,
        session.AToB.Bytes,
        session.BToA.Bytes,
        session.Waited,
        session.Age,
        ending,
        session.A.Grant?.DoorId,
        session.A.Grant?.IdentityId,
        session.B.Grant?.DoorId,
        session.B.Grant?.IdentityId,
        session.A.TransportName,
        session.B.TransportName)
    {
        DeviceA = session.A.Grant?.DeviceId,
        DeviceB = session.B.Grant?.DeviceId,
    };

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "Session {SessionId} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, long sessionId);

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "Session {SessionId} paired on token {TokenPrefix}: {RemoteA} <-> {RemoteB}")]
    private static partial void LogPaired(ILogger logger, long sessionId, string tokenPrefix, object remoteA, object remoteB);
}
