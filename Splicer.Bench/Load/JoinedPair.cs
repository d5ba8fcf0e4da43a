namespace Splicer.Bench.Load;

/// <summary>
/// Two ends joined by the target: every byte written to <see cref="Near"/> arrives at <see cref="Far"/>
/// and back. For a relay both are client connections (over whichever transport the target's clients
/// use); for a forwarder or direct loopback, <see cref="Far"/> is the connection the bench's own sink accepted.
/// </summary>
internal sealed class JoinedPair(PairEnd near, PairEnd far) : IDisposable
{
    public PairEnd Near { get; } = near;

    public PairEnd Far { get; } = far;

    public void Dispose()
    {
        Near.Dispose();
        Far.Dispose();
    }
}
