namespace Splicer.Governance;

/// <summary>What happens when a byte quota runs out while a session runs.</summary>
public enum QuotaAction
{
    /// <summary>The session is cut (both sides reset), recorded with the reason <c>quota_spent</c>.</summary>
    Cut,

    /// <summary>The session goes on at <see cref="QuotaOptions.ThrottleBytesPerSecond"/> each way; new sessions are still refused.</summary>
    Throttle,
}

/// <summary>How quotas (set per identity and per door by the owner) are enforced, bound from <c>Splicer:Quotas</c>.</summary>
public sealed class QuotaOptions
{
    public const string SectionName = "Splicer:Quotas";

    public QuotaAction WhenSpent { get; set; } = QuotaAction.Cut;

    /// <summary>The floor a session is slowed to when its quota runs out and <see cref="WhenSpent"/> is <c>Throttle</c>.</summary>
    public long ThrottleBytesPerSecond { get; set; } = 64 * 1024;
}
