using System.Net;
using Microsoft.Extensions.Options;
using Splicer.Accept;
using Splicer.Options;

namespace Splicer.Splice.Pacing;

/// <summary>
/// Gives each session the pacers its caps call for (<c>Splicer:Limits</c>): its own cap, the box's
/// total, and for anonymous sessions each side's source. One bucket for the box and one per source in
/// use are shared by every session they cover; a source's bucket goes when its last session ends. Runs
/// once when a session starts and once when it ends, never per chunk.
/// </summary>
internal sealed class SessionPacing
{
    private readonly LimitsOptions _limits;
    private readonly int _ipv6PrefixLength;
    private readonly TokenBucket? _total;
    private readonly Lock _lock = new();
    private readonly Dictionary<IPNetwork, SourceBucket> _sources = new();
    private readonly Dictionary<long, IPNetwork[]> _held = new();

    public SessionPacing(IOptions<LimitsOptions> limits, IOptions<SplicerOptions> options)
    {
        _limits = limits.Value;
        _ipv6PrefixLength = options.Value.IPv6SourcePrefix;
        _total = _limits.TotalBytesPerSecond is { } total ? Bucket(total) : null;
    }

    /// <summary>Sources with a bucket now (anonymous sessions running under a per-source cap).</summary>
    public int SourcesPaced
    {
        get
        {
            lock (_lock)
            {
                return _sources.Count;
            }
        }
    }

    /// <summary>
    /// Sets the session's pacers before its copy starts. With no cap that applies and
    /// <paramref name="mayRecap"/> false the session gets none and runs unpaced.
    /// </summary>
    /// <param name="anonymous">No identity: the per-source cap applies.</param>
    /// <param name="bytesPerSecond">This session's own cap, instead of <c>Splicer:Limits:SessionBytesPerSecond</c>.</param>
    /// <param name="mayRecap">Give it a pacer even when uncapped, so that <see cref="Recap"/> can slow it later (a quota).</param>
    public void Attach(SpliceSession session, bool anonymous = true, long? bytesPerSecond = null, bool mayRecap = false)
    {
        var own = bytesPerSecond ?? _limits.SessionBytesPerSecond ?? 0;
        var sources = anonymous && _limits.AnonymousBytesPerSecondPerSource is not null
            ? new[] { SourceOf(session.A.Remote), SourceOf(session.B.Remote) }.Distinct().ToArray()
            : [];
        if (own == 0 && _total is null && sources.Length == 0 && !mayRecap)
        {
            return;
        }

        var shared = new List<TokenBucket>(3);
        if (_total is not null)
        {
            shared.Add(_total);
        }

        lock (_lock)
        {
            foreach (var source in sources)
            {
                if (!_sources.TryGetValue(source, out var entry))
                {
                    entry = new SourceBucket(Bucket(_limits.AnonymousBytesPerSecondPerSource!.Value));
                    _sources[source] = entry;
                }

                entry.Sessions++;
                shared.Add(entry.Bucket);
            }

            if (sources.Length > 0)
            {
                _held[session.Id] = sources;
            }
        }

        var buckets = shared.ToArray();
        if (_limits.SessionCapCountsBothDirections)
        {
            var both = Bucket(own);
            session.AToB.Pacer = new Pacer(both, buckets);
            session.BToA.Pacer = new Pacer(both, buckets);
        }
        else
        {
            session.AToB.Pacer = new Pacer(Bucket(own), buckets);
            session.BToA.Pacer = new Pacer(Bucket(own), buckets);
        }
    }

    /// <summary>Lets go of the session's share of the source buckets; once, when it has ended.</summary>
    public void Detach(SpliceSession session)
    {
        lock (_lock)
        {
            if (!_held.Remove(session.Id, out var sources))
            {
                return;
            }

            foreach (var source in sources)
            {
                if (_sources.TryGetValue(source, out var entry) && --entry.Sessions == 0)
                {
                    _sources.Remove(source);
                }
            }
        }
    }

    /// <summary>
    /// Changes a running session's own cap, in each direction (0: uncapped); false when it has no pacer
    /// (it was attached uncapped without <c>mayRecap</c>). The shared caps still apply.
    /// </summary>
    public static bool Recap(SpliceSession session, long bytesPerSecond)
    {
        if (session.AToB.Pacer is not { } aToB || session.BToA.Pacer is not { } bToA)
        {
            return false;
        }

        aToB.Own.SetRate(bytesPerSecond);
        bToA.Own.SetRate(bytesPerSecond);
        return true;
    }

    private IPNetwork SourceOf(IPEndPoint remote) =>
        SourcePrefix.Of(remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address, _ipv6PrefixLength);

    private static TokenBucket Bucket(long bytesPerSecond) => new(bytesPerSecond);

    private sealed class SourceBucket(TokenBucket bucket)
    {
        public TokenBucket Bucket { get; } = bucket;

        public int Sessions { get; set; }
    }
}
