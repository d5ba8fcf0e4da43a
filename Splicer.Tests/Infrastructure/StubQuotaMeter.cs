using Splicer.Governance;
using Splicer.Governance.Entry;

namespace Splicer.Tests.Infrastructure;

/// <summary>A quota meter that answers what the test set: nothing used unless told.</summary>
internal sealed class StubQuotaMeter : IQuotaMeter
{
    private readonly Dictionary<QuotaSubject, QuotaUse> _use = [];

    public QuotaUse this[QuotaSubject subject]
    {
        set => _use[subject] = value;
    }

    public ValueTask<QuotaUse> UseAsync(QuotaSubject subject, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_use.GetValueOrDefault(subject));
}
