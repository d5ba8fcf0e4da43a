using Microsoft.Extensions.Options;
using Splicer.Endings;
using Splicer.Governance;
using Splicer.Governance.Entry;
using Splicer.Splice;

namespace Splicer.Governance.Sessions;

/// <summary>
/// Quotas where sessions are concerned: whether a paired session may start (its subjects' sessions at
/// once and bytes), and whether a running one has spent its bytes and must be cut or slowed
/// (<c>Splicer:Quotas</c>). The handshake checked the same before either side waited; this is the
/// check that holds when two pairs of one subject race.
/// </summary>
internal sealed class SessionQuotas(IQuotaMeter meter, IOptions<QuotaOptions> options)
{
    // The quotas as the owner last set them, for subjects of running sessions; a grant's copy is as they stood at its handshake.
    private volatile Dictionary<QuotaSubject, Quota> _current = [];

    public QuotaOptions Options { get; } = options.Value;

    /// <summary>
    /// The session's quotas that are set, each subject once (one identity may be on both sides): as the
    /// owner last set them when <see cref="Refresh"/> has seen the subject, else as at the handshake.
    /// </summary>
    public IReadOnlyList<SubjectQuota> Of(SpliceSession session)
    {
        var current = _current;
        List<SubjectQuota>? quotas = null;
        foreach (var subject in SubjectsOf(session))
        {
            var quota = current.TryGetValue(subject, out var set) ? set : HandshakeQuota(session, subject);
            if (!quota.IsNone)
            {
                (quotas ??= []).Add(new SubjectQuota(subject, quota));
            }
        }

        return quotas ?? (IReadOnlyList<SubjectQuota>)[];
    }

    /// <summary>Every identity and door the session serves, each once.</summary>
    public static IEnumerable<QuotaSubject> SubjectsOf(SpliceSession session) =>
        session.Grants
            .SelectMany(grant => grant.IdentityId is { } identity
                ? new[] { QuotaSubject.Identity(identity), QuotaSubject.Door(grant.DoorId) }
                : [QuotaSubject.Door(grant.DoorId)])
            .Distinct();

    /// <summary>Takes the quotas as the owner set them now, for the subjects of the running sessions.</summary>
    public void Refresh(Dictionary<QuotaSubject, Quota> current) => _current = current;

    private static Quota HandshakeQuota(SpliceSession session, QuotaSubject subject) =>
        session.Grants.SelectMany(grant => grant.Quotas).FirstOrDefault(quota => quota.Subject == subject)?.Quota ?? Quota.None;

    /// <summary>Whether a volume quota may slow the session later, so it needs a pacer from the start.</summary>
    public bool MayThrottle(SpliceSession session) =>
        Options.WhenSpent == QuotaAction.Throttle && Of(session).Any(quota => quota.Quota.LimitsVolume);

    /// <summary>
    /// Null when the session, already counted among the running ones, may start; else how it ends. A
    /// spent quota under <see cref="QuotaAction.Throttle"/> lets it start (at the floor, see <see cref="SpentAsync"/>).
    /// </summary>
    public async Task<Ending?> AdmitAsync(SpliceSession session, CancellationToken cancellationToken)
    {
        foreach (var (subject, quota) in Of(session))
        {
            var use = await meter.UseAsync(subject, cancellationToken);
            if (quota.Sessions is { } sessions && use.Sessions > sessions)
            {
                return Ends.QuotaSessions(subject.ToString(), sessions);
            }

            if (Options.WhenSpent == QuotaAction.Cut && QuotaRules.SpentPeriod(quota, use) is { } period)
            {
                return Ends.QuotaSpentAtPairing(QuotaRules.Describe(subject, quota, period));
            }
        }

        return null;
    }

    /// <summary>Why the session's bytes are spent (a quota of one of its subjects ran out), or null while they are not.</summary>
    public async Task<string?> SpentAsync(SpliceSession session, CancellationToken cancellationToken)
    {
        foreach (var (subject, quota) in Of(session))
        {
            if (quota.LimitsVolume && QuotaRules.SpentPeriod(quota, await meter.UseAsync(subject, cancellationToken)) is { } period)
            {
                return QuotaRules.Describe(subject, quota, period);
            }
        }

        return null;
    }
}
