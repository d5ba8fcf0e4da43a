using Microsoft.Extensions.Logging;
using Splicer.Endings;

namespace Splicer.Accounting;

/// <summary>
/// Writes one structured log line per ended session or connection. Refusals are left to the
/// <see cref="RefusalSummary"/>: a flood must not become a flood of log lines.
/// </summary>
internal sealed partial class LogSessionRecorder(ILogger<LogSessionRecorder> logger) : ISessionRecorder
{
    public void Record(EndedRecord record)
    {
        switch (record)
        {
            case SessionRecord { DoorA: not null } or SessionRecord { DoorB: not null }:
                var governed = (SessionRecord)record;
                LogSessionThroughDoors(logger, governed.Id, governed.Outcome.Name(), governed.TokenPrefix, governed.SideA, governed.SideB,
                    governed.RemoteA, governed.RemoteB, governed.BytesAToB, governed.BytesBToA,
                    governed.Wait.TotalSeconds, governed.Duration.TotalSeconds, governed.Detail,
                    Shown(governed.DoorA), Shown(governed.DoorB), Shown(governed.IdentityA), Shown(governed.IdentityB));
                break;
            case SessionRecord session:
                LogSession(logger, session.Id, session.Outcome.Name(), session.TokenPrefix, session.SideA, session.SideB,
                    session.RemoteA, session.RemoteB, session.BytesAToB, session.BytesBToA,
                    session.Wait.TotalSeconds, session.Duration.TotalSeconds, session.Detail);
                break;
            case ConnectionRecord { Outcome: not Outcome.Refused } connection:
                LogConnection(logger, connection.Id, connection.Outcome.Name(), connection.TokenPrefix ?? "-", connection.Side,
                    connection.Remote, connection.Age.TotalSeconds, connection.Detail, Shown(connection.DoorId), Shown(connection.IdentityId));
                break;
        }
    }

    private static string Shown(long? id) => id?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-";

    [LoggerMessage(EventId = 100, Level = LogLevel.Information,
        Message = "Session {SessionId} ended {Outcome}: token {TokenPrefix}, sides {SideA}/{SideB}, {RemoteA} <-> {RemoteB}, " +
                  "bytes {BytesAToB} A->B {BytesBToA} B->A, waited {WaitSeconds:F3}s, lasted {DurationSeconds:F3}s ({Detail})")]
    private static partial void LogSession(ILogger logger, long sessionId, string outcome, string? tokenPrefix,
        string? sideA, string? sideB, object remoteA, object? remoteB, long bytesAToB, long bytesBToA,
        double waitSeconds, double durationSeconds, string detail);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information,
        Message = "Session {SessionId} ended {Outcome}: token {TokenPrefix}, sides {SideA}/{SideB}, {RemoteA} <-> {RemoteB}, " +
                  "bytes {BytesAToB} A->B {BytesBToA} B->A, waited {WaitSeconds:F3}s, lasted {DurationSeconds:F3}s ({Detail}), " +
                  "doors {DoorA}/{DoorB}, identities {IdentityA}/{IdentityB}")]
    private static partial void LogSessionThroughDoors(ILogger logger, long sessionId, string outcome, string? tokenPrefix,
        string? sideA, string? sideB, object remoteA, object? remoteB, long bytesAToB, long bytesBToA,
        double waitSeconds, double durationSeconds, string detail, string doorA, string doorB, string identityA, string identityB);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information,
        Message = "Connection {SessionId} ended {Outcome}: token {TokenPrefix}, side {SideA}, from {RemoteA}, after {WaitSeconds:F3}s ({Detail}), door {DoorId}, identity {IdentityId}")]
    private static partial void LogConnection(ILogger logger, long sessionId, string outcome, string tokenPrefix,
        string? sideA, object remoteA, double waitSeconds, string detail, string doorId, string identityId);
}
