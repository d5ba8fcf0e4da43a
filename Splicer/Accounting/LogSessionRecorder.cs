using Microsoft.Extensions.Logging;

namespace Splicer.Accounting;

/// <summary>Writes one structured log line per ended session.</summary>
internal sealed partial class LogSessionRecorder(ILogger<LogSessionRecorder> logger) : ISessionRecorder
{
    public void Record(SessionRecord record)
    {
        if (record.WasPaired)
        {
            LogSession(logger, record.Id, record.Outcome.Name(), record.TokenPrefix, record.SideA, record.SideB,
                record.RemoteA, record.RemoteB, record.BytesAToB, record.BytesBToA,
                record.Wait.TotalSeconds, record.Duration.TotalSeconds, record.Detail);
        }
        else
        {
            LogConnection(logger, record.Id, record.Outcome.Name(), record.TokenPrefix ?? "-", record.SideA,
                record.RemoteA, record.Wait.TotalSeconds, record.Detail);
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information,
        Message = "Session {SessionId} ended {Outcome}: token {TokenPrefix}, sides {SideA}/{SideB}, {RemoteA} <-> {RemoteB}, " +
                  "bytes {BytesAToB} A->B {BytesBToA} B->A, waited {WaitSeconds:F3}s, lasted {DurationSeconds:F3}s ({Detail})")]
    private static partial void LogSession(ILogger logger, long sessionId, string outcome, string? tokenPrefix,
        string? sideA, string? sideB, object remoteA, object? remoteB, long bytesAToB, long bytesBToA,
        double waitSeconds, double durationSeconds, string detail);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information,
        Message = "Connection {SessionId} ended {Outcome}: token {TokenPrefix}, side {SideA}, from {RemoteA}, after {WaitSeconds:F3}s ({Detail})")]
    private static partial void LogConnection(ILogger logger, long sessionId, string outcome, string tokenPrefix,
        string? sideA, object remoteA, double waitSeconds, string detail);
}
