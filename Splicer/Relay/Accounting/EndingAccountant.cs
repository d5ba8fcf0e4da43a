using Microsoft.Extensions.Logging;
using Splicer.Accept;
using Splicer.Endings;

namespace Splicer.Accounting;

/// <summary>
/// Where every ending arrives, once per connection or session: counts its handshake verdict, then
/// hands the record to every registered recorder; one failing recorder does not stop the others.
/// </summary>
internal sealed partial class EndingAccountant(
    IEnumerable<ISessionRecorder> recorders,
    StageCounters counters,
    ILogger<EndingAccountant> logger) : IEndingRecorder
{
    private readonly ISessionRecorder[] _recorders = recorders.ToArray();

    public void Record(EndedRecord record)
    {
        counters.Count(record.Ending.Verdict);
        foreach (var recorder in _recorders)
        {
            try
            {
                recorder.Record(record);
            }
            catch (Exception ex)
            {
                LogRecorderFailed(logger, ex, recorder.GetType().Name, record.Id);
            }
        }
    }

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "Recorder {Recorder} failed on session {SessionId}")]
    private static partial void LogRecorderFailed(ILogger logger, Exception exception, string recorder, long sessionId);
}
