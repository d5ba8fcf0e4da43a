using Splicer.Governance.Entry;

namespace Splicer.Governance;

/// <summary>
/// Remembers the proofs seen within the clock-skew window, so that a proof copied off the wire cannot
/// be presented a second time. Memory is bounded by the handshake rate times the window: entries
/// older than the window are dropped, since their timestamps would fail the skew check anyway.
/// </summary>
public sealed class ProofReplayGuard(TimeProvider time)
{
    private readonly Dictionary<UInt128, long> _seen = [];
    private readonly Lock _lock = new();
    private int _pruneAt = 1024;

    /// <summary>
    /// True the first time a proof with this signature is offered; false if it was offered before and
    /// could still pass the skew check. Ed25519 signatures are deterministic, so the same proof is the same bytes.
    /// </summary>
    public bool TryRemember(ReadOnlySpan<byte> signature, long proofTime, TimeSpan skew)
    {
        var key = new UInt128(BitConverter.ToUInt64(signature[..8]), BitConverter.ToUInt64(signature[8..16]));
        var forgetAfter = proofTime + (long)Math.Ceiling(skew.TotalSeconds);
        lock (_lock)
        {
            Prune();
            return _seen.TryAdd(key, forgetAfter);
        }
    }

    private void Prune()
    {
        if (_seen.Count < _pruneAt)
        {
            return;
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        foreach (var (key, forgetAfter) in _seen)
        {
            if (forgetAfter < now)
            {
                _seen.Remove(key);
            }
        }

        _pruneAt = Math.Max(1024, _seen.Count * 2);
    }
}
