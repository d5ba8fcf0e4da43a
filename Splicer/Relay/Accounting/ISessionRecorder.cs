using Splicer.Endings;

namespace Splicer.Accounting;

/// <summary>A place that wants to hear of every ended connection and session (log, metrics, the admin's recent list).</summary>
public interface ISessionRecorder
{
    void Record(EndedRecord record);
}
