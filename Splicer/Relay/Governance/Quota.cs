using System.Globalization;

namespace Splicer.Governance;

/// <summary>
/// What the owner lets one identity or door use: bytes a day and a month (UTC, both directions together,
/// every session of the subject counted once), sessions at once, and a bandwidth cap shared by its
/// sessions. Null: no limit of that kind.
/// </summary>
public sealed record Quota(long? BytesPerDay = null, long? BytesPerMonth = null, int? Sessions = null, long? BytesPerSecond = null)
{
    public static Quota None { get; } = new();

    public bool IsNone => this == None;

    /// <summary>It counts bytes over a day or a month, so running sessions must be watched against it.</summary>
    public bool LimitsVolume => BytesPerDay is not null || BytesPerMonth is not null;

    public override string ToString() =>
        $"day {Amount(BytesPerDay)}, month {Amount(BytesPerMonth)}, sessions {Amount(Sessions)}, rate {Amount(BytesPerSecond)}";

    private static string Amount(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "unlimited";
}

public enum QuotaSubjectKind
{
    Identity,
    Door,
}

/// <summary>Whom a quota is for.</summary>
public readonly record struct QuotaSubject(QuotaSubjectKind Kind, long Id)
{
    public static QuotaSubject Identity(long id) => new(QuotaSubjectKind.Identity, id);

    public static QuotaSubject Door(long id) => new(QuotaSubjectKind.Door, id);

    public override string ToString() => $"{(Kind == QuotaSubjectKind.Identity ? "identity" : "door")} {Id}";
}

/// <summary>A quota with its subject, as a connection's grant carries it into its session.</summary>
public sealed record SubjectQuota(QuotaSubject Subject, Quota Quota);
