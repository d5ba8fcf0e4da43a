using Microsoft.Extensions.Logging;

namespace Splicer.Accounting;

/// <summary>Hands each ended session to every registered recorder; one failing recorder does not stop the others.</summary>
internal sealed partial class SessionAccountant(IEnumerable<ISessionRecorder> recorders, ILogger<SessionAccountant> logger)
{
    private readonly ISessionRecorder[] _recorders = recorders.ToArray();

    public void Record(SessionRecord record)
    {
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
