using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Splicer.Endings;
using Splicer.Governance;
using Splicer.Governance.Entry;
using Splicer.Splice;

namespace Splicer.Governance.Sessions;

/// <summary>
/// Cuts live sessions that whom they serve may no longer be let through, within a second of the change:
/// their door closed, expired or ran out of bytes, their credential expired, or their identity was
/// disabled or deleted. Expiry and bytes are checked in memory against each side's grant; for the rest
/// it reads the store's change mark (one tiny query), and the few door and identity records the live
/// sessions depend on only when the mark moved, a session is new, or every few seconds in any case.
/// Whoever changes the store (the admin, the CLI, another process) needs not tell the engine.
/// Sessions in <c>Open</c> mode have no grant and cost nothing here.
/// </summary>
internal sealed partial class AccessWatcher(
    SessionRegistry registry,
    IAccessChanges changes,
    TimeProvider time,
    ILogger<AccessWatcher> logger) : BackgroundService
{
    /// <summary>How often live sessions are looked at: well within the second docs/protocols.md promises ("Answers").</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(250);

    /// <summary>The records are read at least this often even when the change mark stands still.</summary>
    private static readonly TimeSpan RecheckEvery = TimeSpan.FromSeconds(5);

    private HashSet<long> _checked = [];
    private long _lastChange = -1;
    private DateTimeOffset _lastCheck;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await CheckSafelyAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task CheckSafelyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CheckAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCheckFailed(logger, ex);
        }
    }

    /// <summary>One look at the live sessions that came through a door.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var governed = registry.Sessions.Where(session => session.IsGoverned).ToList();
        if (governed.Count == 0)
        {
            _checked.Clear();
            return;
        }

        var now = time.GetUtcNow();
        governed.RemoveAll(session => EndIfOutOfTimeOrBytes(session, now));

        // The mark is read before the records, so a change after this read moves it for the next look.
        var change = await changes.LastChangeAsync(cancellationToken);
        if (change == _lastChange && now - _lastCheck < RecheckEvery && governed.All(session => _checked.Contains(session.Id)))
        {
            return;
        }

        await EndRevokedAsync(governed, now, cancellationToken);
        (_lastChange, _lastCheck, _checked) = (change, now, governed.Select(session => session.Id).ToHashSet());
    }

    private static bool EndIfOutOfTimeOrBytes(SpliceSession session, DateTimeOffset now)
    {
        foreach (var grant in session.Grants)
        {
            if (now >= grant.ExpiresAt)
            {
                return session.End(grant.CredentialExpiresFirst && grant.IdentityId is { } identityId
                    ? Ends.CredentialExpired(identityId)
                    : Ends.DoorExpired(grant.DoorId));
            }

            if (grant.BytesAllowed is { } allowed && session.Bytes >= allowed)
            {
                return session.End(Ends.DoorExhausted(grant.DoorId, "bytes"));
            }
        }

        return false;
    }

    private async Task EndRevokedAsync(List<SpliceSession> sessions, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var grants = sessions.SelectMany(session => session.Grants).ToList();
        var doorIds = grants.Select(grant => grant.DoorId).ToHashSet();
        var identityIds = grants.Select(grant => grant.IdentityId).OfType<long>().ToHashSet();
        var doors = (await changes.FindDoorsAsync(doorIds, cancellationToken)).ToDictionary(door => door.Id);
        var identities = identityIds.Count == 0
            ? []
            : (await changes.FindIdentitiesAsync(identityIds, cancellationToken)).ToDictionary(identity => identity.Id);

        foreach (var session in sessions)
        {
            foreach (var grant in session.Grants)
            {
                if (WhyRevoked(grant, doors.GetValueOrDefault(grant.DoorId), identities, now) is { } ending)
                {
                    session.End(ending);
                    break;
                }
            }
        }
    }

    private static Ending? WhyRevoked(AccessGrant grant, DoorRecord? door, Dictionary<long, IdentityRecord> identities, DateTimeOffset now)
    {
        if (door is null || door.IsClosed)
        {
            return Ends.DoorClosed(grant.DoorId);
        }

        if (door.HasExpiredAt(now))
        {
            return Ends.DoorExpired(grant.DoorId);
        }

        if (grant.IdentityId is not { } identityId)
        {
            return null;
        }

        return identities.TryGetValue(identityId, out var identity)
            ? identity.IsDisabled ? Ends.IdentityDisabled(identityId) : null
            : Ends.IdentityDeleted(identityId);
    }

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Could not check live sessions against the state database; trying again shortly")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
