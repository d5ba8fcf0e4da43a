using System.Text.Json.Serialization;
using Splicer.Admin.Hosting;

namespace Splicer.Admin;

/// <summary>
/// What the owner may see and change of who is let in: identities, doors, invites and the audit log.
/// The engine implements it over its state store; every change is audited with <c>actor</c> as "who".
/// Closing a door or disabling an identity only changes the store: the engine cuts the live sessions.
/// </summary>
public interface IAccessAdmin
{
    Task<IReadOnlyList<IdentityView>> ListIdentitiesAsync(CancellationToken cancellationToken);

    Task<IdentityView?> FindIdentityAsync(long id, CancellationToken cancellationToken);

    Task<IdentityView> AddIdentityAsync(string name, string actor, CancellationToken cancellationToken);

    /// <summary>Disables or enables the identity; null when there is no such identity.</summary>
    Task<IdentityView?> SetIdentityDisabledAsync(long id, bool disabled, string actor, CancellationToken cancellationToken);

    /// <summary>Deletes the identity with its devices; false when there is no such identity.</summary>
    Task<bool> DeleteIdentityAsync(long id, string actor, CancellationToken cancellationToken);

    /// <summary>Open doors, or every door with <paramref name="includeShut"/>, newest first.</summary>
    Task<IReadOnlyList<DoorView>> ListDoorsAsync(bool includeShut, CancellationToken cancellationToken);

    Task<DoorView?> FindDoorAsync(long id, CancellationToken cancellationToken);

    /// <summary>Opens a door, and makes its invite when it has one.</summary>
    /// <exception cref="AccessAdminException">The request names something that does not exist.</exception>
    Task<OpenedDoor> OpenDoorAsync(DoorOpening opening, string actor, CancellationToken cancellationToken);

    /// <summary>Closes the door with a reason; null when there is no such door. Closing a shut door changes nothing.</summary>
    Task<DoorView?> CloseDoorAsync(long id, string reason, string actor, CancellationToken cancellationToken);

    /// <summary>The audit log, newest first: at most <paramref name="limit"/> entries older than <paramref name="beforeId"/>.</summary>
    Task<AuditPage> AuditAsync(int limit, long? beforeId, CancellationToken cancellationToken);

    /// <summary>The box key's fingerprint and the retired keys still trusted.</summary>
    BoxKeyView BoxKey();

    /// <summary>
    /// Makes a new box key at once, audited. Credentials signed by the old one keep working until they
    /// expire, unless <paramref name="revokePrevious"/>: then every earlier credential stops working.
    /// </summary>
    Task<BoxKeyView> RotateBoxKeyAsync(bool revokePrevious, string actor, CancellationToken cancellationToken);

    /// <summary>Sets what the identity may use (audited); null when it does not exist.</summary>
    Task<IdentityView?> SetIdentityQuotaAsync(long id, QuotaView quota, string actor, CancellationToken cancellationToken);

    /// <summary>Sets what everyone through the door may use together (audited); null when it does not exist.</summary>
    Task<DoorView?> SetDoorQuotaAsync(long id, QuotaView quota, string actor, CancellationToken cancellationToken);
}

/// <summary>
/// A quota: bytes a day and a month (UTC, both directions together), sessions at once, and a bandwidth cap
/// in bytes a second shared by the subject's sessions. Null: no limit of that kind.
/// </summary>
public sealed record QuotaView(
    [property: JsonConverter(typeof(ByteCountJson))] long? BytesPerDay = null,
    [property: JsonConverter(typeof(ByteCountJson))] long? BytesPerMonth = null,
    int? Sessions = null,
    [property: JsonConverter(typeof(ByteCountJson))] long? BytesPerSecond = null)
{
    public static QuotaView None { get; } = new();
}

/// <summary>A request the store cannot carry out as asked; the message says why, for the owner.</summary>
public sealed class AccessAdminException(string message) : Exception(message);

/// <param name="LastUsedAt">When usage last recorded a session of it (its end, or a running one's checkpoint).</param>
/// <param name="Usage">Every session and byte it has moved, from the same totals as <c>/api/usage</c>.</param>
public sealed record IdentityView(
    long Id,
    string Name,
    DateTimeOffset CreatedAt,
    bool Disabled,
    DateTimeOffset? DisabledAt,
    DateTimeOffset? LastUsedAt,
    IReadOnlyList<DeviceView> Devices,
    IReadOnlyList<long> Doors,
    QuotaView Quota,
    UsageSoFar Usage);

/// <summary>
/// Sessions and bytes (both directions) a door or identity has moved in all, as the usage tables keep them:
/// ended sessions, and running ones up to their last checkpoint.
/// </summary>
public sealed record UsageSoFar(long Sessions, long Bytes)
{
    public static UsageSoFar None { get; } = new(0, 0);
}

/// <param name="PublicKey">The device's Ed25519 public key, unpadded base64url.</param>
public sealed record DeviceView(long Id, string Name, string PublicKey, DateTimeOffset AddedAt, DateTimeOffset? LastUsedAt);

/// <param name="Kind"><c>invite</c> or <c>address</c>.</param>
/// <param name="State"><c>open</c>, <c>closed</c> (by the owner), <c>expired</c> or <c>exhausted</c> (its allowance is used up).</param>
/// <param name="RemainingSeconds">Until it expires, as of <paramref name="AsOf"/>; 0 once it is shut.</param>
/// <param name="SessionsUsed">Sessions paired through the door, from the usage totals (as <c>/api/usage</c>); one refused at pairing (by its allowance or a quota) counts too.</param>
/// <param name="BytesUsed">Bytes through the door, both directions, from the usage totals (as <c>/api/usage</c>).</param>
/// <param name="SessionsLeft">What its session allowance (<paramref name="MaxSessions"/>) still lets in; null without one.</param>
/// <param name="BytesLeft">What its byte allowance (<paramref name="MaxBytes"/>) still lets through; null without one.</param>
public sealed record DoorView(
    long Id,
    string Kind,
    string Name,
    string State,
    DateTimeOffset OpenedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset AsOf,
    double RemainingSeconds,
    DateTimeOffset? ClosedAt,
    string? CloseReason,
    string? AddressPrefix,
    long? MaxSessions,
    long? MaxBytes,
    long SessionsUsed,
    long BytesUsed,
    long? SessionsLeft,
    long? BytesLeft,
    IReadOnlyList<long> Identities,
    IReadOnlyList<InviteView> Invites,
    QuotaView Quota);

public sealed record InviteView(long Id, int UsesAllowed, int UsesMade, DateTimeOffset ExpiresAt);

/// <summary>A checked request to open a door (see <c>/api/doors</c>).</summary>
/// <param name="Kind"><c>invite</c> or <c>address</c>.</param>
/// <param name="InviteUses">How many times the invite may be redeemed; 0 for no invite (named identities only).</param>
/// <param name="InviteAddresses">Where the invite tells clients to connect (<c>host:port</c>); empty for the relay's default.</param>
/// <param name="RequestHost">The host name the owner reached the admin by: the invite's address when nothing else names one.</param>
public sealed record DoorOpening(
    string Kind,
    string Name,
    TimeSpan Duration,
    long? MaxSessions,
    long? MaxBytes,
    IReadOnlyList<long> Identities,
    int InviteUses,
    string? AddressPrefix,
    IReadOnlyList<string> InviteAddresses,
    string? RequestHost,
    QuotaView? Quota = null);

/// <param name="Invite">The invite's one-line text, shown once: only a hash of its secret is kept. Null without an invite.</param>
public sealed record OpenedDoor(DoorView Door, string? Invite);

public sealed record AuditEntryView(long Id, DateTimeOffset At, string Actor, string Action, string Detail);

/// <param name="NextBefore">Pass as <c>before</c> for the next (older) page; null on the last page.</param>
public sealed record BoxKeyView(string Current, IReadOnlyList<string> Retired);

public sealed record AuditPage(IReadOnlyList<AuditEntryView> Entries, long? NextBefore);
