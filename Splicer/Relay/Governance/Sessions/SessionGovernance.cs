using Microsoft.Extensions.Logging;
using Splicer.Endings;
using Splicer.Splice;

namespace Splicer.Governance.Sessions;

/// <summary>
/// The rules a paired session meets: its quotas and its doors' session allowance when it starts, the
/// pacers its caps call for while it runs, and its bytes added to its doors' tallies when it ends.
/// Sessions in <c>Open</c> mode (no grant) meet only the box's own caps.
/// </summary>
internal sealed partial class SessionGovernance(
    SessionQuotas quotas,
    SessionPacing pacing,
    IDoorAllowance doors,
    ILogger<SessionGovernance> logger) : ISessionGovernance
{
    /// <summary>
    /// Checks the quotas, then takes this session from the allowance of each door that counts sessions,
    /// atomically, before either side hears of its partner.
    /// </summary>
    public async Task<Ending?> AdmitAsync(SpliceSession session, CancellationToken cancellationToken)
    {
        if (!session.IsGoverned)
        {
            return null;
        }

        if (await quotas.AdmitAsync(session, cancellationToken) is { } refused)
        {
            await session.A.TrySendLineAsync(refused.Reply, session.Aborted);
            await session.B.TrySendLineAsync(refused.Reply, session.Aborted);
            return refused;
        }

        return await TakeDoorSessionsAsync(session, cancellationToken);
    }

    /// <summary>Sets the session's pacers; one that starts with its bytes already spent (under <c>Throttle</c>) starts at the floor.</summary>
    public async Task AttachAsync(SpliceSession session, CancellationToken cancellationToken)
    {
        var mayThrottle = session.IsGoverned && quotas.MayThrottle(session);
        pacing.Attach(session, mayRecap: mayThrottle);
        if (mayThrottle && await quotas.SpentAsync(session, cancellationToken) is not null)
        {
            SessionPacing.Recap(session, quotas.Options.ThrottleBytesPerSecond);
            session.IsThrottled = true;
        }
    }

    public void Settle(SpliceSession session)
    {
        pacing.Detach(session);
        if (session.IsGoverned)
        {
            _ = TallyDoorBytesAsync(session);
        }
    }

    private async Task<Ending?> TakeDoorSessionsAsync(SpliceSession session, CancellationToken cancellationToken)
    {
        foreach (var doorId in session.Grants.Where(grant => grant.LimitsSessions).Select(grant => grant.DoorId).Distinct())
        {
            if (!await doors.TryTakeSessionAsync(doorId, cancellationToken))
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

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "Session {SessionId}: could not add its bytes to door {DoorId}")]
    private static partial void LogTallyFailed(ILogger logger, Exception exception, long sessionId, long doorId);
}
