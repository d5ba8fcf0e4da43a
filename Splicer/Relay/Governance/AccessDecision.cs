using Splicer.Endings;
using Splicer.Governance.Entry;

namespace Splicer.Governance;

/// <summary>What applies to a connection that was let in: until when, and how much it may still use.</summary>
/// <param name="ExpiresAt">The earliest of the door's and the credential's expiry; sessions are cut then.</param>
/// <param name="BytesRemaining">Bytes the door still allows, both directions together; null means no limit.</param>
/// <param name="SessionsRemaining">Sessions the door still allows, this one included; null means no limit.</param>
/// <param name="DoorId">The door the connection came through; null in <c>Open</c> mode.</param>
/// <param name="IdentityId">Who came through; null for anonymous (wormhole) handshakes.</param>
/// <param name="DeviceId">With which device, for its last-use time; null for anonymous handshakes.</param>
/// <param name="CredentialExpiresFirst">True when <paramref name="ExpiresAt"/> is the credential's expiry rather than the door's.</param>
public sealed record AccessLimits(
    DateTimeOffset? ExpiresAt,
    long? BytesRemaining,
    long? SessionsRemaining,
    long? DoorId,
    long? IdentityId,
    long? DeviceId,
    bool CredentialExpiresFirst = false)
{
    /// <summary>What <c>Open</c> mode grants: no door, no identity, no limit.</summary>
    public static AccessLimits Unlimited { get; } = new(null, null, null, null, null, null);

    /// <summary>The quotas of the door and the identity that apply, those that are set.</summary>
    public IReadOnlyList<SubjectQuota> Quotas { get; init; } = [];

    /// <summary>What the quotas leave, once the meter has been read; null before, or when no quota applies.</summary>
    public QuotaAllowance? QuotaAllowance { get; init; }
}

/// <summary>What the quotas that apply to a connection still allow at its handshake; null: no limit of that kind.</summary>
/// <param name="BytesRemaining">Bytes left today and this month, the least over the subjects.</param>
/// <param name="BytesPerSecond">The lowest bandwidth cap.</param>
/// <param name="SessionsRemaining">Sessions that may still start at once, the least over the subjects.</param>
public sealed record QuotaAllowance(long? BytesRemaining, long? BytesPerSecond, long? SessionsRemaining);

/// <summary>
/// The outcome of an access check: accepted with the limits that apply, or refused with a reason from the
/// fixed list. A value, decided without touching sockets, so that each rule can be tested on its own.
/// </summary>
public sealed record AccessDecision
{
    private AccessDecision(AccessLimits? limits, Refusal? reason, string? detail)
    {
        Limits = limits;
        Reason = reason;
        Detail = detail;
    }

    public bool IsAccepted => Limits is not null;

    /// <summary>The limits when accepted; null when refused.</summary>
    public AccessLimits? Limits { get; }

    /// <summary>The reason when refused; null when accepted.</summary>
    public Refusal? Reason { get; }

    /// <summary>For people (logs, the refusal line); never carries a secret.</summary>
    public string? Detail { get; }

    public static AccessDecision Accept(AccessLimits limits) => new(limits, null, null);

    public static AccessDecision Refuse(Refusal reason, string? detail = null) =>
        new(null, reason, detail ?? reason.Text);

    public override string ToString() =>
        IsAccepted ? $"accepted {Limits}" : $"refused {Reason!.Word}: {Detail}";
}
