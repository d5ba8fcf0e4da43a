using Microsoft.Extensions.Options;
using Splicer.Accounting;
using Splicer.Admin;
using Splicer.Admin.Hosting;
using Splicer.Endings;

namespace Splicer.Administration;

/// <summary>The last few ended sessions (paired ones only), for the admin; a fixed ring in memory.</summary>
internal sealed class RecentSessions(IOptions<AdminOptions> options, TimeProvider clock) : ISessionRecorder
{
    private readonly BoundedRing<EndedSession> _ring = new(options.Value.RecentSessions);

    public void Record(EndedRecord ended)
    {
        if (ended is not SessionRecord record)
        {
            return;
        }

        _ring.Add(new EndedSession(
            record.Id,
            record.TokenPrefix ?? "-",
            record.RemoteA.ToString(),
            record.RemoteB.ToString(),
            clock.GetUtcNow(),
            record.Duration.TotalSeconds,
            record.BytesAToB,
            record.BytesBToA,
            record.Outcome.Name(),
            record.Detail));
    }

    /// <summary>Newest first.</summary>
    public EndedSession[] ToArray()
    {
        var sessions = _ring.ToArray();
        Array.Reverse(sessions);
        return sessions;
    }
}
