using Splicer.Endings;

namespace Splicer.Accept;

/// <summary>
/// Counts at the stage points: connections accepted, handshakes by verdict, accepts that failed for
/// lack of descriptors. Plain interlocked increments, once per connection and never per chunk;
/// metrics and the admin read them.
/// </summary>
internal sealed class StageCounters
{
    private readonly long[] _verdicts = new long[Enum.GetValues<Verdict>().Length];
    private long _accepted;
    private long _outOfDescriptors;

    public long Accepted => Interlocked.Read(ref _accepted);

    public long OutOfDescriptors => Interlocked.Read(ref _outOfDescriptors);

    public long this[Verdict verdict] => Interlocked.Read(ref _verdicts[(int)verdict]);

    public void CountAccepted() => Interlocked.Increment(ref _accepted);

    public void CountOutOfDescriptors() => Interlocked.Increment(ref _outOfDescriptors);

    public void Count(Verdict verdict)
    {
        if (verdict != Verdict.None)
        {
            Interlocked.Increment(ref _verdicts[(int)verdict]);
        }
    }
}
