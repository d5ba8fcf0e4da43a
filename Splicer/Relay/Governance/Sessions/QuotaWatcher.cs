using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Splicer.Endings;
using Splicer.Governance;
using Splicer.Governance.Entry;
using Splicer.Splice;

namespace Splicer.Governance.Sessions;

/// <summary>
/// Holds the byte quotas while bytes flow: every <see cref="AccessWatcher.Period"/> it compares each
/// running session's subjects (its identities and doors) with what they have used, and cuts a session
/// whose quota ran out (<c>quota_spent</c>) or slows it to <c>Splicer:Quotas:ThrottleBytesPerSecond</c>;
/// a throttled session whose quota the owner raised runs free again. Quotas the owner changes reach
/// running sessions through the store's change mark. Sessions without a quota cost one look each.
/// </summary>
internal sealed partial class QuotaWatcher(
    SessionRegistry registry,
    SessionQuotas quotas,
    SessionPacing pacing,
    IAccessChanges changes,
    TimeProvider time,
    ILogger<QuotaWatcher> logger) : BackgroundService
{
    private long _lastChange = -1;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(AccessWatcher.Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await CheckAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogCheckFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>One look at the running sessions that came through a door.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var governed = registry.Sessions.Where(session => session.IsGoverned).ToList();
        if (governed.Count == 0)
        {
            return;
        }

        await RefreshQuotasAsync(governed, cancellationToken);
        foreach (var session in governed)
        {
            if (!quotas.Of(session).Any(quota => quota.Quota.LimitsVolume))
            {
                Release(session);
                continue;
            }

            var spent = await quotas.SpentAsync(session, cancellationToken);
            if (spent is null)
            {
                Release(session);
            }
            else if (quotas.Options.WhenSpent == QuotaAction.Cut)
            {
                session.End(Ends.QuotaSpent(spent));
            }
            else if (!session.IsThrottled && SessionPacing.Recap(session, quotas.Options.ThrottleBytesPerSecond))
            {
                session.IsThrottled = true;
                LogThrottled(logger, session.Id, spent, quotas.Options.ThrottleBytesPerSecond);
            }
        }
    }

    /// <summary>A throttled session whose bytes are no longer spent (the owner raised or removed the quota) runs at its own cap again.</summary>
    private void Release(SpliceSession session)
    {
        if (session.IsThrottled && pacing.Uncap(session))
        {
            session.IsThrottled = false;
        }
    }

    /// <summary>Reads the quotas of the running sessions' subjects again when the owner changed anything.</summary>
    private async Task RefreshQuotasAsync(List<SpliceSession> sessions, CancellationToken cancellationToken)
    {
        var change = await changes.LastChangeAsync(cancellationToken);
        if (change == _lastChange)
        {
            return;
        }

        var subjects = sessions.SelectMany(SessionQuotas.SubjectsOf).ToHashSet();
        var identityIds = subjects.Where(subject => subject.Kind == QuotaSubjectKind.Identity).Select(subject => subject.Id).ToList();
        var doorIds = subjects.Where(subject => subject.Kind == QuotaSubjectKind.Door).Select(subject => subject.Id).ToList();
        var current = new Dictionary<QuotaSubject, Quota>();
        foreach (var identity in identityIds.Count == 0 ? [] : await changes.FindIdentitiesAsync(identityIds, cancellationToken))
        {
            current[QuotaSubject.Identity(identity.Id)] = identity.Quota;
        }

        foreach (var door in await changes.FindDoorsAsync(doorIds, cancellationToken))
        {
            current[QuotaSubject.Door(door.Id)] = door.Quota;
        }

        quotas.Refresh(current);
        _lastChange = change;
    }

    [LoggerMessage(EventId = 14, Level = LogLevel.Warning, Message = "Could not check live sessions against their quotas; trying again shortly")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "Session {SessionId} throttled to {BytesPerSecond} bytes/s: {Reason}")]
    private static partial void LogThrottled(ILogger logger, long sessionId, string reason, long bytesPerSecond);
}
