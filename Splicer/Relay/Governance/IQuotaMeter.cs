using Splicer.Governance.Entry;

namespace Splicer.Governance;

/// <summary>What a subject has used: bytes today and this month (UTC), and sessions running now.</summary>
public readonly record struct QuotaUse(long BytesToday, long BytesThisMonth, int Sessions);

/// <summary>
/// How much a subject uses, for its quota: the totals on disk plus what its running sessions moved since
/// their last checkpoint. Declared here, implemented where usage is kept (<c>Splicer.Accounting.QuotaMeter</c>).
/// </summary>
public interface IQuotaMeter
{
    ValueTask<QuotaUse> UseAsync(QuotaSubject subject, CancellationToken cancellationToken);
}
