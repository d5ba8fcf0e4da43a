using System.Net;
using Microsoft.Extensions.Options;
using Splicer.Accept;
using Splicer.Governance;
using Splicer.Options;
using Splicer.Splice;
using Splicer.Splice.Pacing;

namespace Splicer.Governance.Sessions;

/// <summary>
/// Gives each session the pacers its caps call for: its own cap (<c>Splicer:Limits</c>), the box's
/// total, each anonymous side's source, and the bandwidth quota of each identity and door it serves.
/// One bucket for the box and one per source or quota subject in use are shared by every session they
/// cover; a shared bucket goes when its last session ends. Runs once when a session starts and once
/// when it ends, never per chunk.
/// </summary>
internal sealed class SessionPacing
{
    private readonly LimitsOptions _limits;
    private readonly int _ipv6PrefixLength;
    private readonly TokenBucket? _total;
    private readonly Lock _lock = new();

    // Keyed by an IPNetwork (an anonymous source) or a QuotaSubject (an identity's or a door's bandwidth quota).
    private readonly Dictionary<object, SharedBucket> _shared = new();
    private readonly Dictionary<long, object[]> _held = new();

    public SessionPacing(IOptions<LimitsOptions> limits, IOptions<SplicerOptions> options)
    {
        _limits = limits.Value;
        _ipv6PrefixLength = options.Value.IPv6SourcePrefix;
        _total = _limits.TotalBytesPerSecond is { } total ? Bucket(total) : null;
    }

    /// <summary>Sources and quota subjects with a shared bucket now.</summary>
    public int SharedBuckets
    {
        get
        {
            lock (_lock)
            {
                return _shared.Count;
            }
        }
    }

    /// <summary>
    /// Sets the session's pacers before its copy starts. With no cap that applies and
    /// <paramref name="mayRecap"/> false the session gets none and runs unpaced.
    /// </summary>
    /// <param name="bytesPerSecond">This session's own cap, instead of <c>Splicer:Limits:SessionBytesPerSecond</c>.</param>
    /// <param name="mayRecap">Give it a pacer even when uncapped, so that <see cref="Recap"/> can slow it later (a quota).</param>
    public void Attach(SpliceSession session, long? bytesPerSecond = null, bool mayRecap = false)
    {
        var own = bytesPerSecond ?? _limits.SessionBytesPerSecond ?? 0;
        var keyed = SharedCaps(session);
        if (own == 0 && _total is null && keyed.Count == 0 && !mayRecap)
        {
            return;
        }

        var buckets = new List<TokenBucket>(keyed.Count + 1);
        if (_total is not null)
        {
            buckets.Add(_total);
        }

        lock (_lock)
        {
            foreach (var (key, rate) in keyed)
            {
                if (!_shared.TryGetValue(key, out var entry))
                {
                    entry = new SharedBucket(Bucket(rate));
                    _shared[key] = entry;
                }
                else if (entry.Bucket.BytesPerSecond != rate)
                {
                    entry.Bucket.SetRate(rate);
                }

                entry.Sessions++;
                buckets.Add(entry.Bucket);
            }

            if (keyed.Count > 0)
            {
                _held[session.Id] = keyed.Select(cap => cap.Key).ToArray();
            }
        }

        var shared = buckets.ToArray();
        if (_limits.SessionCapCountsBothDirections)
        {
            var both = Bucket(own);
            session.AToB.Pacer = new Pacer(both, shared);
            session.BToA.Pacer = new Pacer(both, shared);
        }
        else
        {
            session.AToB.Pacer = new Pacer(Bucket(own), shared);
            session.BToA.Pacer = new Pacer(Bucket(own), shared);
        }
    }

    /// <summary>Lets go of the session's share of the shared buckets; once, when it has ended.</summary>
    public void Detach(SpliceSession session)
    {
        lock (_lock)
        {
            if (!_held.Remove(session.Id, out var keys))
            {
                return;
            }

            foreach (var key in keys)
            {
                if (_shared.TryGetValue(key, out var entry) && --entry.Sessions == 0)
                {
                    _shared.Remove(key);
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

    /// <summary>Gives a recapped session back its own configured cap (<c>Splicer:Limits:SessionBytesPerSecond</c>, or none).</summary>
    public bool Uncap(SpliceSession session) => Recap(session, _limits.SessionBytesPerSecond ?? 0);

    /// <summary>The shared caps over the session: each anonymous side's source, each bandwidth quota of its grants.</summary>
    private List<(object Key, long BytesPerSecond)> SharedCaps(SpliceSession session)
    {
        var caps = new List<(object Key, long BytesPerSecond)>();
        if (_limits.AnonymousBytesPerSecondPerSource is { } perSource)
        {
            foreach (var side in new[] { session.A, session.B })
            {
                if (side.Grant?.IdentityId is null)
                {
                    caps.Add((SourceOf(side.Remote), perSource));
                }
            }
        }

        foreach (var grant in session.Grants)
        {
            foreach (var (subject, quota) in grant.Quotas)
            {
                if (quota.BytesPerSecond is { } rate)
                {
                    caps.Add((subject, rate));
                }
            }
        }

        return caps.DistinctBy(cap => cap.Key).ToList();
    }

    private IPNetwork SourceOf(IPEndPoint remote) =>
        SourcePrefix.Of(remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address, _ipv6PrefixLength);

    private static TokenBucket Bucket(long bytesPerSecond) => new(bytesPerSecond);

    private sealed class SharedBucket(TokenBucket bucket)
    {
        public TokenBucket Bucket { get; } = bucket;

        public int Sessions { get; set; }
    }
}
