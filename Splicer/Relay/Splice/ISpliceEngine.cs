using System.Net.Sockets;
using Splicer.Endings;

namespace Splicer.Splice;

/// <summary>The seam where bytes move: copies both directions of a session until both are done.</summary>
internal interface ISpliceEngine
{
    string Name { get; }

    /// <summary>
    /// Runs until both directions have finished or one has failed. A finished direction passes its
    /// FIN on (half-close) while the other keeps flowing. Stops promptly when <see cref="SpliceSession.Aborted"/> fires.
    /// </summary>
    Task<SpliceEnd> RunAsync(SpliceSession session);
}

/// <summary>How the copy itself ended.</summary>
internal readonly record struct SpliceEnd(SpliceEndKind Kind, string Detail)
{
    public static SpliceEnd Finished => new(SpliceEndKind.Finished, "both sides finished");

    public static SpliceEnd Aborted => new(SpliceEndKind.Aborted, "aborted");

    public static SpliceEnd Failed(string detail) => new(SpliceEndKind.Failed, detail);

    /// <summary>
    /// A direction hit an I/O error: unless the session was being stopped anyway (then it is simply
    /// aborted), this ends the session as jilted, so the other direction stops now rather than lingers.
    /// </summary>
    public static SpliceEnd FailSession(SpliceDirection direction, Exception error, CancellationToken aborted)
    {
        if (aborted.IsCancellationRequested)
        {
            return Aborted;
        }

        var code = (error as SocketException ?? error.InnerException as SocketException)?.SocketErrorCode.ToString() ?? error.GetType().Name;
        var failed = Failed($"{direction.From.Remote} -> {direction.To.Remote} failed: {code}");
        direction.Session.End(Ends.Jilted(failed.Detail));
        return failed;
    }

    /// <summary>
    /// How the session's copy ended, from how each direction ended. Both are awaited by the engine
    /// (so no pump outlives the session's sockets); a failure has already ended the session as jilted.
    /// </summary>
    public static SpliceEnd Both(SpliceEnd aToB, SpliceEnd bToA) =>
        aToB.Kind == SpliceEndKind.Failed ? aToB
        : bToA.Kind == SpliceEndKind.Failed ? bToA
        : aToB.Kind == SpliceEndKind.Aborted ? aToB
        : bToA;
}

internal enum SpliceEndKind
{
    Finished,
    Failed,
    Aborted,
}
