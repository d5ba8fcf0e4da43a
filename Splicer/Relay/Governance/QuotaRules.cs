using Splicer.Endings;
using Splicer.Governance.Entry;

namespace Splicer.Governance;

/// <summary>Which volume period of a quota ran out.</summary>
public enum QuotaPeriod
{
    Day,
    Month,
}

/// <summary>The rules of quotas, as pure functions of a quota and what its subject has used.</summary>
public static class QuotaRules
{
    /// <summary>The period whose bytes are used up, if one is; the day is named first.</summary>
    public static QuotaPeriod? SpentPeriod(Quota quota, QuotaUse use) =>
        quota.BytesPerDay is { } day && use.BytesToday >= day ? QuotaPeriod.Day
        : quota.BytesPerMonth is { } month && use.BytesThisMonth >= month ? QuotaPeriod.Month
        : null;

    /// <summary>
    /// Null when one more session may start; else why not. <paramref name="running"/> counts the sessions
    /// the new one would join (at the handshake, the session does not exist yet; at pairing it does).
    /// </summary>
    public static Refusal? Check(Quota quota, QuotaUse use, bool sessionCounted)
    {
        if (SpentPeriod(quota, use) is not null)
        {
            return Refusal.QuotaSpent;
        }

        var limit = sessionCounted ? use.Sessions > quota.Sessions : use.Sessions >= quota.Sessions;
        return limit ? Refusal.QuotaSessions : null;
    }

    /// <summary>Bytes the quota still allows today and this month, the smaller; null when it counts none.</summary>
    public static long? BytesRemaining(Quota quota, QuotaUse use) =>
        Smaller(quota.BytesPerDay is { } day ? Math.Max(0, day - use.BytesToday) : null,
            quota.BytesPerMonth is { } month ? Math.Max(0, month - use.BytesThisMonth) : null);

    /// <summary>Sessions that may still start; null when the quota counts none.</summary>
    public static long? SessionsRemaining(Quota quota, QuotaUse use) =>
        quota.Sessions is { } sessions ? Math.Max(0, sessions - use.Sessions) : null;

    public static string Describe(QuotaSubject subject, Quota quota, QuotaPeriod period) =>
        $"{subject} used its {(period == QuotaPeriod.Day ? quota.BytesPerDay : quota.BytesPerMonth)} bytes for this {(period == QuotaPeriod.Day ? "day" : "month")} (UTC)";

    public static long? Smaller(long? first, long? second) =>
        first is { } a && second is { } b ? Math.Min(a, b) : first ?? second;
}
