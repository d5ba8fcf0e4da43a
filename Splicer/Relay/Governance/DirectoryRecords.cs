using System.Net;
using Splicer.Governance.Entry;

namespace Splicer.Governance;

/// <summary>A person or device the owner trusts. Deleted identities are gone; disabled ones are kept but refused.</summary>
public sealed record IdentityRecord(
    long Id,
    string Name,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DisabledAt,
    DateTimeOffset? LastUsedAt)
{
    public bool IsDisabled => DisabledAt is not null;

    /// <summary>What the identity may use, over all its doors and devices.</summary>
    public Quota Quota { get; init; } = Quota.None;
}

/// <summary>One device of an identity: the public half of the key pair that the device holds.</summary>
public sealed record DeviceRecord(
    long Id,
    long IdentityId,
    string Name,
    ReadOnlyMemory<byte> PublicKey,
    DateTimeOffset AddedAt,
    DateTimeOffset? LastUsedAt);

public enum DoorKind
{
    /// <summary>Admits named identities and whoever redeems its invites, each with a credential.</summary>
    Invite,

    /// <summary>Admits unmodified (wormhole) clients from an address prefix.</summary>
    Address,
}

/// <summary>A door the owner opened: who may come through, until when, and for how much.</summary>
public sealed record DoorRecord(
    long Id,
    DoorKind Kind,
    string Name,
    IPNetwork? AddressPrefix,
    DateTimeOffset OpenedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? ClosedAt,
    string? CloseReason,
    long? MaxSessions,
    long? MaxBytes,
    long SessionsUsed,
    long BytesUsed)
{
    /// <summary>What everyone through the door may use together, per day and month (beside its lifetime <see cref="MaxBytes"/>).</summary>
    public Quota Quota { get; init; } = Quota.None;

    public bool IsClosed => ClosedAt is not null;

    public bool HasExpiredAt(DateTimeOffset now) => now >= ExpiresAt;

    public bool IsOpenAt(DateTimeOffset now) => !IsClosed && !HasExpiredAt(now);

    public long? SessionsRemaining => MaxSessions is { } max ? Math.Max(0, max - SessionsUsed) : null;

    public long? BytesRemaining => MaxBytes is { } max ? Math.Max(0, max - BytesUsed) : null;

    public bool IsExhausted => SessionsRemaining == 0 || BytesRemaining == 0;
}

/// <summary>An invite to a door. Only the SHA-256 of its secret is ever stored.</summary>
public sealed record InviteRecord(
    long Id,
    long DoorId,
    int UsesAllowed,
    int UsesMade,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt)
{
    public bool IsUsedUp => UsesMade >= UsesAllowed;
}
