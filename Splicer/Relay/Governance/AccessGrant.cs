namespace Splicer.Governance;

/// <summary>
/// Whom a connection serves and what its door allows, decided once at the handshake and carried with
/// the connection into its session, so nothing needs looking up again while bytes flow. A connection
/// without a grant came in through <c>Open</c> mode: no door, no identity, no limit.
/// </summary>
/// <param name="DoorId">The door it came through.</param>
/// <param name="IdentityId">Who came through; null for an anonymous (wormhole) handshake through an address door.</param>
/// <param name="ExpiresAt">When its session is cut: the earlier of the door's and the credential's expiry.</param>
/// <param name="CredentialExpiresFirst">True when <paramref name="ExpiresAt"/> is the credential's expiry rather than the door's.</param>
/// <param name="BytesAllowed">The bytes the door still allowed at the handshake, both directions together; null for no limit.</param>
/// <param name="LimitsSessions">The door counts sessions against an allowance, so a session must be taken from it at pairing.</param>
internal sealed record AccessGrant(
    long DoorId,
    long? IdentityId,
    DateTimeOffset ExpiresAt,
    bool CredentialExpiresFirst,
    long? BytesAllowed,
    bool LimitsSessions)
{
    /// <summary>The device that signed the handshake; null for an anonymous one. Usage marks it used.</summary>
    public long? DeviceId { get; init; }

    /// <summary>The quotas of its identity and door that are set, as they stood at the handshake.</summary>
    public IReadOnlyList<SubjectQuota> Quotas { get; init; } = [];
}
