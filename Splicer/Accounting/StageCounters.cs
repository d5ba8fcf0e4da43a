namespace Splicer.Accounting;

/// <summary>
/// Counts at the stage points: connections accepted and handshakes by verdict. Plain interlocked
/// increments, once per connection and never per chunk; metrics and the admin read them.
/// </summary>
internal sealed class StageCounters
{
    public static readonly HandshakeVerdict[] Verdicts = Enum.GetValues<HandshakeVerdict>();

    private readonly long[] _verdicts = new long[Verdicts.Length];
    private long _accepted;

    public long Accepted => Interlocked.Read(ref _accepted);

    public long this[HandshakeVerdict verdict] => Interlocked.Read(ref _verdicts[(int)verdict]);

    public void CountAccepted() => Interlocked.Increment(ref _accepted);

    public void Count(HandshakeVerdict verdict) => Interlocked.Increment(ref _verdicts[(int)verdict]);

    public static string Name(HandshakeVerdict verdict) => verdict switch
    {
        HandshakeVerdict.Ok => "ok",
        HandshakeVerdict.Bad => "bad",
        HandshakeVerdict.Impatient => "impatient",
        HandshakeVerdict.TimedOut => "timed_out",
        HandshakeVerdict.Refused => "refused",
        _ => verdict.ToString(),
    };
}
