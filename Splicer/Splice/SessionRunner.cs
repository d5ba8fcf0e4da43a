using Microsoft.Extensions.Logging;
using Splicer.Accept;
using Splicer.Accounting;
using Splicer.Handshake;

namespace Splicer.Splice;

/// <summary>Runs a pair from <c>ok</c> to close: tells both sides, copies, decides the outcome, records it.</summary>
internal sealed partial class SessionRunner(
    ISpliceEngine engine,
    SessionRegistry registry,
    SessionAccountant accountant,
    ILogger<SessionRunner> logger)
{
    /// <summary>Runs the session on its own; nothing waits for it, so it records and logs every way it can end.</summary>
    public void Start(RelayConnection waiter, RelayConnection arrival) => _ = RunAsync(waiter, arrival);

    private async Task RunAsync(RelayConnection waiter, RelayConnection arrival)
    {
        using var session = new SpliceSession(waiter, arrival, waiter.Age);
        registry.Add(session);
        var end = SpliceEnd.Aborted;
        try
        {
            LogPaired(logger, session.Id, session.TokenPrefix, waiter.Remote, arrival.Remote);
            end = SayOk(session) ? await engine.RunAsync(session) : SpliceEnd.Failed("a side left before ok");
        }
        catch (Exception ex)
        {
            LogUnexpected(logger, ex, session.Id);
            session.End(Outcome.Errory, "relay error: " + ex.GetType().Name);
        }
        finally
        {
            registry.Remove(session);
            var (outcome, detail) = Decide(session, end);
            Close(session, outcome);
            accountant.Record(ToRecord(session, outcome, detail));
        }
    }

    private static bool SayOk(SpliceSession session) =>
        session.A.TrySendLine(HandshakeGrammar.Ok.Span) & session.B.TrySendLine(HandshakeGrammar.Ok.Span);

    private static (Outcome, string) Decide(SpliceSession session, SpliceEnd end) => session.EndRequest switch
    {
        { } request => (request.Outcome, request.Detail),
        null when end.Kind == SpliceEndKind.Finished => (Outcome.Happy, end.Detail),
        _ => (Outcome.Jilted, end.Detail),
    };

    private static void Close(SpliceSession session, Outcome outcome)
    {
        if (outcome == Outcome.Happy)
        {
            session.A.Dispose();
            session.B.Dispose();
        }
        else
        {
            session.A.Abort();
            session.B.Abort();
        }
    }

    private static SessionRecord ToRecord(SpliceSession session, Outcome outcome, string detail) => new(
        session.Id,
        session.TokenPrefix,
        session.A.Side,
        session.B.Side,
        session.A.Remote,
        session.B.Remote,
        session.AToB.Bytes,
        session.BToA.Bytes,
        session.Waited,
        session.Age,
        outcome,
        detail);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "Session {SessionId} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, long sessionId);

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "Session {SessionId} paired on token {TokenPrefix}: {RemoteA} <-> {RemoteB}")]
    private static partial void LogPaired(ILogger logger, long sessionId, string tokenPrefix, object remoteA, object remoteB);
}
