using Microsoft.Extensions.Logging;
using Splicer.Accept;
using Splicer.Access;
using Splicer.Endings;
using Splicer.Handshake;
using Splicer.Rendezvous;
using Splicer.Rendezvous.Direct;
using Splicer.Splice.Pacing;

namespace Splicer.Splice;

/// <summary>Runs a pair from <c>ok</c> to close: tells both sides, copies, decides the ending once, applies and records it.</summary>
internal sealed partial class SessionRunner(
    ISpliceEngine engine,
    StreamSpliceEngine streams,
    SessionRegistry registry,
    IDoorAllowance doors,
    IEndingRecorder recorder,
    SessionPacing pacing,
    SessionQuotas quotas,
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
            if (session.IsGoverned && await AdmitAsync(session) is { } refused)
            {
                session.End(refused);
            }
            else
            {
                await PaceAsync(session);
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
        pacing.Detach(session);
        var ending = Decide(session, end);
        session.A.CloseInSession(ending.Closing);
        session.B.CloseInSession(ending.Closing);
        recorder.Record(ToRecord(session, ending));
        if (session.IsGoverned)
        {
            _ = TallyDoorBytesAsync(session);
        }
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

    /// <summary>
    /// Checks the quotas, then takes this session from the allowance of each door that counts sessions,
    /// atomically, before either side hears of its partner; null when all had room, else how the session
    /// ends. A refusal with a line is told to both sides.
    /// </summary>
    private async Task<Ending?> AdmitAsync(SpliceSession session)
    {
        if (await quotas.AdmitAsync(session, CancellationToken.None) is { } refused)
        {
            await session.A.TrySendLineAsync(refused.Reply, session.Aborted);
            await session.B.TrySendLineAsync(refused.Reply, session.Aborted);
            return refused;
        }

        return await TakeDoorSessionsAsync(session);
    }

    /// <summary>Sets the session's pacers; one that starts with its bytes already spent (under <c>Throttle</c>) starts at the floor.</summary>
    private async Task PaceAsync(SpliceSession session)
    {
        var mayThrottle = session.IsGoverned && quotas.MayThrottle(session);
        pacing.Attach(session, mayRecap: mayThrottle);
        if (mayThrottle && await quotas.SpentAsync(session, CancellationToken.None) is not null)
        {
            SessionPacing.Recap(session, quotas.Options.ThrottleBytesPerSecond);
            session.IsThrottled = true;
        }
    }

    private async Task<Ending?> TakeDoorSessionsAsync(SpliceSession session)
    {
        foreach (var doorId in session.Grants.Where(grant => grant.LimitsSessions).Select(grant => grant.DoorId).Distinct())
        {
            if (!await doors.TryTakeSessionAsync(doorId, CancellationToken.None))
            {
                return Ends.DoorExhausted(doorId, "sessions");
            }
        }

        return null;
    }

    /// <summary>Adds the session's bytes to each door that counts bytes, once, after the record; off the session's path.</summary>
    private async Task TallyDoorBytesAsync(SpliceSession session)
    {
        var bytes = session.Bytes;
        foreach (var doorId in session.Grants.Where(grant => grant.BytesAllowed is not null).Select(grant => grant.DoorId).Distinct())
        {
            try
            {
                await doors.AddBytesAsync(doorId, bytes, CancellationToken.None);
            }
            catch (Exception ex)
            {
                LogTallyFailed(logger, ex, session.Id, doorId);
            }
        }
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

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "Session {SessionId}: could not add its bytes to door {DoorId}")]
    private static partial void LogTallyFailed(ILogger logger, Exception exception, long sessionId, long doorId);

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "Session {SessionId} paired on token {TokenPrefix}: {RemoteA} <-> {RemoteB}")]
    private static partial void LogPaired(ILogger logger, long sessionId, string tokenPrefix, object remoteA, object remoteB);
}
