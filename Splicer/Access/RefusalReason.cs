namespace Splicer.Access;

/// <summary>
/// Every reason the relay gives for turning a client away. The list is fixed and documented (README,
/// "Native handshake"); each reason goes on the wire as the lower-case word from <see cref="RefusalReasons.Word"/>,
/// which never changes once released. New reasons are added at the end.
/// </summary>
public enum RefusalReason
{
    /// <summary><c>malformed</c>: the handshake line, credential, proof or invite cannot be read.</summary>
    Malformed,

    /// <summary><c>unsupported_version</c>: a native handshake of a version this relay does not speak.</summary>
    UnsupportedVersion,

    /// <summary><c>bad_signature</c>: the credential is not signed by this box, or the proof not by the credential's device.</summary>
    BadSignature,

    /// <summary><c>credential_expired</c>: the credential's expiry has passed.</summary>
    CredentialExpired,

    /// <summary><c>clock_skew</c>: the proof's timestamp is further from the relay's clock than allowed.</summary>
    ClockSkew,

    /// <summary><c>replayed</c>: this exact proof was already presented.</summary>
    Replayed,

    /// <summary><c>unknown_identity</c>: no such identity (never enrolled, or deleted).</summary>
    UnknownIdentity,

    /// <summary><c>identity_disabled</c>: the owner disabled the identity.</summary>
    IdentityDisabled,

    /// <summary><c>unknown_device</c>: the credential's device key is not (or no longer) enrolled for its identity.</summary>
    UnknownDevice,

    /// <summary><c>unknown_door</c>: no such door.</summary>
    UnknownDoor,

    /// <summary><c>door_closed</c>: the owner closed the door.</summary>
    DoorClosed,

    /// <summary><c>door_expired</c>: the door's time ran out.</summary>
    DoorExpired,

    /// <summary><c>door_exhausted</c>: the door's session or byte allowance is used up.</summary>
    DoorExhausted,

    /// <summary><c>not_allowed_on_door</c>: the identity is not among those the door admits.</summary>
    NotAllowedOnDoor,

    /// <summary><c>address_not_allowed</c>: an anonymous (wormhole) handshake from outside every open address door, in <c>Doors</c> mode.</summary>
    AddressNotAllowed,

    /// <summary><c>unknown_invite</c>: no invite has this secret.</summary>
    UnknownInvite,

    /// <summary><c>invite_used</c>: the invite has been redeemed as many times as it allows.</summary>
    InviteUsed,

    /// <summary><c>invite_expired</c>: the invite's time ran out.</summary>
    InviteExpired,

    /// <summary><c>device_already_enrolled</c>: redeeming an invite with a device key that is already enrolled.</summary>
    DeviceAlreadyEnrolled,
}

/// <summary>The stable wire words and default human texts of <see cref="RefusalReason"/>.</summary>
public static class RefusalReasons
{
    private static readonly string[] Words =
    [
        "malformed",
        "unsupported_version",
        "bad_signature",
        "credential_expired",
        "clock_skew",
        "replayed",
        "unknown_identity",
        "identity_disabled",
        "unknown_device",
        "unknown_door",
        "door_closed",
        "door_expired",
        "door_exhausted",
        "not_allowed_on_door",
        "address_not_allowed",
        "unknown_invite",
        "invite_used",
        "invite_expired",
        "device_already_enrolled",
    ];

    private static readonly string[] Texts =
    [
        "the request could not be read",
        "this relay speaks native handshake version 1",
        "signature does not verify",
        "the credential has expired",
        "the timestamp is too far from the relay's clock",
        "this proof was already used",
        "no such identity",
        "the identity is disabled",
        "this device is not enrolled for the identity",
        "no such door",
        "the door is closed",
        "the door has expired",
        "the door's allowance is used up",
        "this identity may not use this door",
        "no door is open for this address",
        "no such invite",
        "the invite has been used",
        "the invite has expired",
        "this device key is already enrolled",
    ];

    /// <summary>All reasons, in their documented order.</summary>
    public static IReadOnlyList<RefusalReason> All { get; } = Enum.GetValues<RefusalReason>();

    /// <summary>The reason's lower-case wire word, e.g. <c>door_closed</c>.</summary>
    public static string Word(this RefusalReason reason) => Words[(int)reason];

    /// <summary>A short default explanation for people, for the human part of a refusal line.</summary>
    public static string DefaultText(this RefusalReason reason) => Texts[(int)reason];

    public static bool TryParse(string word, out RefusalReason reason)
    {
        var index = Array.IndexOf(Words, word);
        reason = (RefusalReason)Math.Max(index, 0);
        return index >= 0;
    }
}
