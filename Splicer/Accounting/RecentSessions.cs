using Microsoft.Extensions.Options;
using Splicer.Admin;

namespace Splicer.Accounting;

/// <summary>The last few ended sessions (paired ones only), for the admin; a fixed ring in memory.</summary>
internal sealed class RecentSessions(IOptions<AdminOptions> options, TimeProvider clock) : ISessionRecorder
{
    private readonly EndedSession[] _ring = new EndedSession[options.Value.RecentSessions];
    private readonly Lock _lock = new();
    private int _next;
    private int _count;

    public void Record(SessionRecord record)
    {
        if (!record.WasPaired || _ring.Length == 0)
        {
            return;
        }

        var ended = new EndedSession(
            record.Id,
            record.TokenPrefix ?? "-",
            record.RemoteA.ToString(),
            record.RemoteB!.ToString(),
            clock.GetUtcNow(),
            record.Duration.TotalSeconds,
            record.BytesAToB,
            record.BytesBToA,
            record.Outcome.Name(),
            record.Detail);
        lock (_lock)
        {
            _ring[_next] = ended;
            _next = (_next + 1) % _ring.Length;
            _count = Math.Min(_count + 1, _ring.Length);
        }
    }

    /// <summary>Newest first.</summary>
    public EndedSession[] ToArray()
    {
        lock (_lock)
        {
            var sessions = new EndedSession[_count];
            for (var i = 0; i < _count; i++)
            {
                sessions[i] = _ring[(_next - 1 - i + _ring.Length) % _ring.Length];
            }

            return sessions;
        }
    }
}
