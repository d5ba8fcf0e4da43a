namespace Splicer.Accounting;

/// <summary>Hands each ended session to every registered recorder.</summary>
internal sealed class SessionAccountant(IEnumerable<ISessionRecorder> recorders)
{
    private readonly ISessionRecorder[] _recorders = recorders.ToArray();

    public void Record(SessionRecord record)
    {
        foreach (var recorder in _recorders)
        {
            recorder.Record(record);
        }
    }
}
