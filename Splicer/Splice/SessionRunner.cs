using Microsoft.Extensions.Logging;
using Splicer.Accept;
using Splicer.Endings;
using Splicer.Handshake;
using Splicer.Rendezvous;
using Splicer.Splice.Pacing;

namespace Splicer.Splice;

/// <summary>Runs a pair from <c>ok</c> to close: tells both sides, copies, decides the ending once, applies and records it.</summary>
internal sealed partial class SessionRunner(
    ISpliceEngine engine,
    SessionRegistry registry,
    IEndingRecorder recorder,
    SessionPacing pacing,
    ILogger<SessionRunner> logger) : ISessionStarter
{
    /// <summary>Runs the session on its own; nothing waits for it, so it records and logs every way it can end.</summary>
    public void Start(RelayConnection waiter, RelayConnection arrival)
    {
        if (!waiter.TryJoinSession())
        {
            // Unreachable by the pending state's rules; kept so a broken rule shows as a record, not a leaked socket.
            _ = arrival.EndAsync(Ends.Jilted("the waiting side had already ended"));
            return;
        }

        if (!arrival.TryJoinSession())
        {
            waiter.CloseInSession(Closing.Reset);
            return;
        }

        _ = RunAsync(waiter, arrival);
    }

    private async Task RunAsync(RelayConnection waiter, RelayConnection arrival)
    {
        using var session = new SpliceSession(waiter, arrival, waiter.Age);
        pacing.Attach(session);
        registry.Add(session);
        var end = SpliceEnd.Aborted;
        try
        {
            LogPaired(logger, session.Id, session.TokenPrefix, waiter.Remote, arrival.Remote);
            end = SayOk(session) ? await engine.RunAsync(session) : SpliceEnd.Failed(Ends.SideLeftBeforeOk.Detail);
        }
        catch (Exception ex)
        {
            LogUnexpected(logger, ex, session.Id);
            session.End(Ends.Unexpected(ex));
        }
        finally
        {
            registry.Remove(session);
            pacing.Detach(session);
            var ending = Decide(session, end);
            session.A.CloseInSession(ending.Closing);
            session.B.CloseInSession(ending.Closing);
            recorder.Record(ToRecord(session, ending));
        }
    }

    private static bool SayOk(SpliceSession session) =>
        session.A.TrySendLine(HandshakeGrammar.Ok.Span) & session.B.TrySendLine(HandshakeGrammar.Ok.Span);

    /// <summary>An ending asked for from outside (owner, idle timer, drain, a failed direction) wins; else the copy's own end.</summary>
    private static Ending Decide(SpliceSession session, SpliceEnd end) => session.EndRequest switch
    {
        { } requested => requested,
        null when end.Kind == SpliceEndKind.Finished => Ends.Happy,
        _ => Ends.Jilted(end.Detail),
    };

    private static SessionRecord ToRecord(SpliceSession session, Ending ending) => new(
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
        ending);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "Session {SessionId} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, long sessionId);

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "Session {SessionId} paired on token {TokenPrefix}: {RemoteA} <-> {RemoteB}")]
    private static partial void LogPaired(ILogger logger, long sessionId, string tokenPrefix, object remoteA, object remoteB);
}
