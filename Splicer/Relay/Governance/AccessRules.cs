using System.Net;
using Splicer.Access;
using Splicer.Endings;
using Splicer.Governance.Entry;

namespace Splicer.Governance;

/// <summary>
/// The rules of access, as pure functions of what the directory holds: no clock but the one passed
/// in, no I/O. <see cref="AccessChecker"/> gathers the records and asks these.
/// </summary>
public static class AccessRules
{
    /// <summary>
    /// Decides for a genuine, unexpired credential whose proof verified: the identity, its device and the
    /// door must all still let it in.
    /// </summary>
    public static AccessDecision DecideCredential(
        Credential credential, IdentityRecord? identity, DeviceRecord? device, DoorRecord? door, bool isMember, DateTimeOffset now)
    {
        if (identity is null)
        {
            return AccessDecision.Refuse(Refusal.UnknownIdentity, $"identity {credential.IdentityId} does not exist");
        }

        if (identity.IsDisabled)
        {
            return AccessDecision.Refuse(Refusal.IdentityDisabled, $"identity {identity.Id} is disabled");
        }

        if (device is null || device.IdentityId != identity.Id)
        {
            return AccessDecision.Refuse(Refusal.UnknownDevice, $"the device key is not enrolled for identity {identity.Id}");
        }

        if (CheckDoor(door, now) is { } refusal)
        {
            return AccessDecision.Refuse(refusal, $"door {credential.DoorId}: {refusal.Text}");
        }

        if (door!.Kind != DoorKind.Invite || !isMember)
        {
            return AccessDecision.Refuse(Refusal.NotAllowedOnDoor, $"identity {identity.Id} may not use door {door.Id}");
        }

        var credentialFirst = credential.ExpiresAt < door.ExpiresAt;
        var expiresAt = credentialFirst ? credential.ExpiresAt : door.ExpiresAt;
        return AccessDecision.Accept(new AccessLimits(expiresAt, door.BytesRemaining, door.SessionsRemaining, door.Id, identity.Id, device.Id, credentialFirst)
        {
            Quotas = QuotasOf(door, identity),
        });
    }

    /// <summary>
    /// Decides for an anonymous (wormhole) handshake: anyone in <c>Open</c> mode; in <c>Doors</c> mode,
    /// only from inside an open, unexhausted address door (the one that expires last, if several).
    /// </summary>
    public static AccessDecision DecideAnonymous(AccessMode mode, IPAddress remote, IEnumerable<DoorRecord> addressDoors, DateTimeOffset now)
    {
        if (mode == AccessMode.Open)
        {
            return AccessDecision.Accept(AccessLimits.Unlimited);
        }

        var address = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        var door = addressDoors
            .Where(candidate => candidate.Kind == DoorKind.Address && candidate.AddressPrefix is { } prefix && prefix.Contains(address))
            .Where(candidate => CheckDoor(candidate, now) is null)
            .MaxBy(candidate => candidate.ExpiresAt);
        return door is null
            ? AccessDecision.Refuse(Refusal.AddressNotAllowed, $"no door is open for {address}")
            : AccessDecision.Accept(new AccessLimits(door.ExpiresAt, door.BytesRemaining, door.SessionsRemaining, door.Id, null, null)
            {
                Quotas = QuotasOf(door, null),
            });
    }

    /// <summary>The quotas that apply to a connection through <paramref name="door"/> by <paramref name="identity"/>, those that are set.</summary>
    public static IReadOnlyList<SubjectQuota> QuotasOf(DoorRecord door, IdentityRecord? identity)
    {
        if (door.Quota.IsNone && (identity is null || identity.Quota.IsNone))
        {
            return [];
        }

        var quotas = new List<SubjectQuota>(2);
        if (identity is { Quota.IsNone: false })
        {
            quotas.Add(new SubjectQuota(QuotaSubject.Identity(identity.Id), identity.Quota));
        }

        if (!door.Quota.IsNone)
        {
            quotas.Add(new SubjectQuota(QuotaSubject.Door(door.Id), door.Quota));
        }

        return quotas;
    }

    /// <summary>Null when the door lets people through at <paramref name="now"/>; else why not.</summary>
    public static Refusal? CheckDoor(DoorRecord? door, DateTimeOffset now) => door switch
    {
        null => Refusal.UnknownDoor,
        { IsClosed: true } => Refusal.DoorClosed,
        _ when door.HasExpiredAt(now) => Refusal.DoorExpired,
        { IsExhausted: true } => Refusal.DoorExhausted,
        _ => null,
    };

    /// <summary>Null when the invite may be redeemed at <paramref name="now"/>; else why not.</summary>
    public static Refusal? CheckInvite(InviteRecord? invite, DoorRecord? door, DateTimeOffset now) => invite switch
    {
        null => Refusal.UnknownInvite,
        { IsUsedUp: true } => Refusal.InviteUsed,
        _ when now >= invite.ExpiresAt => Refusal.InviteExpired,
        _ => CheckDoor(door, now),
    };
}
