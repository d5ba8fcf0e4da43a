using System.Net;
using Microsoft.Extensions.Options;
using Splicer.Accept;
using Splicer.Access;
using Splicer.Admin;
using Splicer.Admin.Hosting;
using Splicer.Governance;
using Splicer.Governance.Entry;
using Splicer.Options;
using Splicer.State;

namespace Splicer.Administration;

/// <summary>
/// The engine's side of <see cref="IAccessAdmin"/>: reads and changes the state stores, which audit each
/// change in its own transaction. Live sessions are not touched here; the engine watches the store.
/// What doors and identities have moved is read from the usage totals, so the lists say what <c>/api/usage</c> says.
/// </summary>
internal sealed class AccessAdmin(
    IdentityStore identities,
    DoorStore doors,
    InviteStore invites,
    UsageStore usage,
    AuditLog audit,
    BoxKeyRing boxKeys,
    IOptions<AccessOptions> access,
    IOptions<InviteAddressOptions> inviteAddresses,
    IOptions<SplicerOptions> relay,
    SpliceListener listener,
    TimeProvider time) : IAccessAdmin
{
    public BoxKeyView BoxKey() =>
        new(boxKeys.Current.Fingerprint, boxKeys.PublicKeys.Keys.Skip(1).Select(key => key.Fingerprint).ToArray());

    public async Task<BoxKeyView> RotateBoxKeyAsync(bool revokePrevious, string actor, CancellationToken cancellationToken)
    {
        var previous = boxKeys.Current.Fingerprint;
        var current = boxKeys.Rotate(revokePrevious);
        await audit.AppendAsync(actor, "key.rotate",
            $"{previous} -> {current.Fingerprint}" + (revokePrevious ? ", earlier keys revoked" : ""), cancellationToken);
        return BoxKey();
    }

    public async Task<IReadOnlyList<IdentityView>> ListIdentitiesAsync(CancellationToken cancellationToken)
    {
        var memberships = await MembershipsAsync(cancellationToken);
        var used = await usage.LifetimeAsync(UsageSubjectKind.Identity, null, cancellationToken);
        var views = new List<IdentityView>();
        foreach (var identity in await identities.ListAsync(cancellationToken))
        {
            views.Add(await ViewAsync(identity, memberships, Used(used, identity.Id), cancellationToken));
        }

        return views;
    }

    public async Task<IdentityView?> FindIdentityAsync(long id, CancellationToken cancellationToken) =>
        await identities.FindAsync(id, cancellationToken) is { } identity
            ? await ViewAsync(identity, await MembershipsAsync(cancellationToken), await UsedAsync(UsageSubjectKind.Identity, id, cancellationToken), cancellationToken)
            : null;

    public async Task<IdentityView> AddIdentityAsync(string name, string actor, CancellationToken cancellationToken)
    {
        var identity = await identities.AddAsync(name, actor, cancellationToken);
        return await ViewAsync(identity, new Dictionary<long, List<long>>(), UsageSoFar.None, cancellationToken);
    }

    public async Task<IdentityView?> SetIdentityDisabledAsync(long id, bool disabled, string actor, CancellationToken cancellationToken)
    {
        _ = disabled
            ? await identities.DisableAsync(id, actor, cancellationToken)
            : await identities.EnableAsync(id, actor, cancellationToken);
        return await FindIdentityAsync(id, cancellationToken);
    }

    public Task<bool> DeleteIdentityAsync(long id, string actor, CancellationToken cancellationToken) =>
        identities.DeleteAsync(id, actor, cancellationToken);

    public async Task<IReadOnlyList<DoorView>> ListDoorsAsync(bool includeShut, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var used = await usage.LifetimeAsync(UsageSubjectKind.Door, null, cancellationToken);
        var views = new List<DoorView>();
        foreach (var door in await doors.ListAsync(now, includeShut, cancellationToken))
        {
            views.Add(await ViewAsync(door, now, Used(used, door.Id), cancellationToken));
        }

        return views;
    }

    public async Task<DoorView?> FindDoorAsync(long id, CancellationToken cancellationToken) =>
        await doors.FindAsync(id, cancellationToken) is { } door
            ? await ViewAsync(door, time.GetUtcNow(), await UsedAsync(UsageSubjectKind.Door, id, cancellationToken), cancellationToken)
            : null;

    public async Task<OpenedDoor> OpenDoorAsync(DoorOpening opening, string actor, CancellationToken cancellationToken)
    {
        foreach (var id in opening.Identities)
        {
            if (await identities.FindAsync(id, cancellationToken) is null)
            {
                throw new AccessAdminException($"there is no identity {id}");
            }
        }

        // The invite is made first, so an impossible one (no address to put in it) opens no door.
        var invite = opening.InviteUses > 0 ? CreateInvite(opening) : null;
        var kind = opening.Kind == "address" ? DoorKind.Address : DoorKind.Invite;
        var prefix = opening.AddressPrefix is { } text ? IPNetwork.Parse(text) : (IPNetwork?)null;
        var door = await doors.OpenAsync(
            new DoorRequest(kind, opening.Name, opening.Duration, prefix, opening.MaxSessions, opening.MaxBytes, opening.Identities, ToQuota(opening.Quota)),
            actor,
            cancellationToken);
        if (invite is not null)
        {
            await invites.CreateAsync(door.Id, invite.SecretHash, opening.InviteUses, door.ExpiresAt, actor, cancellationToken);
        }

        return new OpenedDoor(await ViewAsync(door, time.GetUtcNow(), UsageSoFar.None, cancellationToken), invite?.Format());
    }

    public async Task<DoorView?> CloseDoorAsync(long id, string reason, string actor, CancellationToken cancellationToken)
    {
        await doors.CloseAsync(id, reason, actor, cancellationToken);
        return await FindDoorAsync(id, cancellationToken);
    }

    public async Task<AuditPage> AuditAsync(int limit, long? beforeId, CancellationToken cancellationToken)
    {
        var entries = await audit.ListAsync(limit + 1, beforeId, cancellationToken);
        var page = entries.Take(limit).Select(entry => new AuditEntryView(entry.Id, entry.At, entry.Actor, entry.Action, entry.Detail)).ToList();
        return new AuditPage(page, entries.Count > limit ? page[^1].Id : null);
    }

    private InviteCode CreateInvite(DoorOpening opening)
    {
        var addresses = opening.InviteAddresses.Count > 0 ? opening.InviteAddresses : DefaultInviteAddresses(opening.RequestHost);
        if (addresses.Count == 0)
        {
            throw new AccessAdminException(
                $"no address to put in the invite: set {InviteAddressOptions.Key} (host:port of the splice port as clients reach it) or pass inviteAddresses");
        }

        try
        {
            return InviteCode.Create(addresses, access.Value.EffectiveRelayName, boxKeys.Current);
        }
        catch (ArgumentException exception)
        {
            throw new AccessAdminException($"cannot make the invite: {exception.Message}");
        }
    }

    /// <summary><c>Splicer:Access:InviteAddresses</c>, else the host the owner reached the admin by with the splice port.</summary>
    private List<string> DefaultInviteAddresses(string? requestHost)
    {
        if (inviteAddresses.Value.InviteAddresses is { Length: > 0 } configured)
        {
            return [.. configured];
        }

        var port = listener.LocalEndPoint?.Port ?? relay.Value.Port;
        return string.IsNullOrEmpty(requestHost) ? [] : [$"{requestHost}:{port}"];
    }

    private static UsageSoFar Used(Dictionary<long, (long Sessions, long Bytes)> lifetime, long subject) =>
        lifetime.TryGetValue(subject, out var used) ? new UsageSoFar(used.Sessions, used.Bytes) : UsageSoFar.None;

    private async Task<UsageSoFar> UsedAsync(UsageSubjectKind kind, long subject, CancellationToken cancellationToken) =>
        Used(await usage.LifetimeAsync(kind, subject, cancellationToken), subject);

    private async Task<DoorView> ViewAsync(DoorRecord door, DateTimeOffset now, UsageSoFar used, CancellationToken cancellationToken)
    {
        var state = door.IsClosed ? "closed" : door.HasExpiredAt(now) ? "expired" : door.IsExhausted ? "exhausted" : "open";
        var remaining = state is "closed" or "expired" ? 0 : Math.Max(0, (door.ExpiresAt - now).TotalSeconds);
        var members = await doors.MembersAsync(door.Id, cancellationToken);
        var doorInvites = (await invites.ListAsync(door.Id, cancellationToken))
            .Select(invite => new InviteView(invite.Id, invite.UsesAllowed, invite.UsesMade, invite.ExpiresAt))
            .ToList();
        return new DoorView(
            door.Id,
            door.Kind == DoorKind.Address ? "address" : "invite",
            door.Name,
            state,
            door.OpenedAt,
            door.ExpiresAt,
            now,
            Math.Round(remaining, 3),
            door.ClosedAt,
            door.CloseReason,
            door.AddressPrefix?.ToString(),
            door.MaxSessions,
            door.MaxBytes,
            used.Sessions,
            used.Bytes,
            door.SessionsRemaining,
            door.BytesRemaining,
            members,
            doorInvites,
            View(door.Quota));
    }

    private async Task<IdentityView> ViewAsync(
        IdentityRecord identity, IReadOnlyDictionary<long, List<long>> memberships, UsageSoFar used, CancellationToken cancellationToken)
    {
        var devices = (await identities.DevicesAsync(identity.Id, cancellationToken))
            .Select(device => new DeviceView(device.Id, device.Name, Base64UrlText.Encode(device.PublicKey.Span), device.AddedAt, device.LastUsedAt))
            .ToList();
        return new IdentityView(
            identity.Id,
            identity.Name,
            identity.CreatedAt,
            identity.IsDisabled,
            identity.DisabledAt,
            identity.LastUsedAt,
            devices,
            memberships.TryGetValue(identity.Id, out var doorIds) ? doorIds : [],
            View(identity.Quota),
            used);
    }

    public async Task<IdentityView?> SetIdentityQuotaAsync(long id, QuotaView quota, string actor, CancellationToken cancellationToken) =>
        await identities.SetQuotaAsync(id, ToQuota(quota), actor, cancellationToken) ? await FindIdentityAsync(id, cancellationToken) : null;

    public async Task<DoorView?> SetDoorQuotaAsync(long id, QuotaView quota, string actor, CancellationToken cancellationToken) =>
        await doors.SetQuotaAsync(id, ToQuota(quota), actor, cancellationToken) ? await FindDoorAsync(id, cancellationToken) : null;

    private static QuotaView View(Quota quota) => quota.IsNone
        ? QuotaView.None
        : new QuotaView(quota.BytesPerDay, quota.BytesPerMonth, quota.Sessions, quota.BytesPerSecond);

    private static Quota ToQuota(QuotaView? view) =>
        view is null ? Quota.None : new Quota(view.BytesPerDay, view.BytesPerMonth, view.Sessions, view.BytesPerSecond);

    /// <summary>Which doors each identity is a member of (every door, shut ones too).</summary>
    private async Task<Dictionary<long, List<long>>> MembershipsAsync(CancellationToken cancellationToken)
    {
        var byIdentity = new Dictionary<long, List<long>>();
        foreach (var door in await doors.ListAsync(time.GetUtcNow(), includeShut: true, cancellationToken))
        {
            foreach (var member in await doors.MembersAsync(door.Id, cancellationToken))
            {
                if (!byIdentity.TryGetValue(member, out var list))
                {
                    byIdentity[member] = list = [];
                }

                list.Add(door.Id);
            }
        }

        return byIdentity;
    }
}

/// <summary><c>Splicer:Access:InviteAddresses</c>: where invites tell clients to connect.</summary>
public sealed class InviteAddressOptions
{
    public const string Key = "Splicer:Access:InviteAddresses";

    /// <summary>
    /// <c>host:port</c> of the splice port as clients reach it (1 to 8), in order of preference. When unset,
    /// an invite carries the host name the owner reached the admin by, with the splice port.
    /// </summary>
    public string[]? InviteAddresses { get; set; }
}
