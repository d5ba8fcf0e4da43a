using Splicer.Endings;
using Splicer.Splice;

namespace Splicer.Accounting;

/// <summary>
/// Exact bytes relayed since start, without touching the copy loop: the bytes of ended sessions,
/// added up here as each ends, plus the live counters of the sessions still running.
/// </summary>
internal sealed class RelayedBytes(SessionRegistry registry) : ISessionRecorder
{
    private long _endedAToB;
    private long _endedBToA;
    private long _reportedAToB;
    private long _reportedBToA;

    public void Record(EndedRecord record)
    {
        if (record is SessionRecord session)
        {
            Interlocked.Add(ref _endedAToB, session.BytesAToB);
            Interlocked.Add(ref _endedBToA, session.BytesBToA);
        }
    }

    /// <summary>Totals now; never less than reported before.</summary>
    public (long AToB, long BToA) Current()
    {
        // Ended first, then live: a session leaves the registry before its record arrives, so in
        // this order it can be missed for a moment but never counted twice.
        var aToB = Interlocked.Read(ref _endedAToB);
        var bToA = Interlocked.Read(ref _endedBToA);
        foreach (var session in registry.Sessions)
        {
            aToB += session.AToB.Bytes;
            bToA += session.BToA.Bytes;
        }

        return (RaiseTo(ref _reportedAToB, aToB), RaiseTo(ref _reportedBToA, bToA));
    }

    private static long RaiseTo(ref long reported, long value)
    {
        var current = Interlocked.Read(ref reported);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref reported, value, current);
            if (seen == current)
            {
                return value;
            }

            current = seen;
        }

        return current;
    }
}
