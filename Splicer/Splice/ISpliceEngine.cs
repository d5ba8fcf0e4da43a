using System.Net.Sockets;
using Splicer.Accounting;

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

    /// <summary>A direction that hit an I/O error: aborted if the session was being stopped anyway, else failed.</summary>
    public static SpliceEnd FromError(SpliceDirection direction, Exception error, CancellationToken aborted)
    {
        if (aborted.IsCancellationRequested)
        {
            return Aborted;
        }

        var code = (error as SocketException ?? error.InnerException as SocketException)?.SocketErrorCode.ToString() ?? error.GetType().Name;
        return Failed($"{direction.From.Remote} -> {direction.To.Remote} failed: {code}");
    }

    /// <summary>
    /// Waits for both directions. When one fails first, the session ends as jilted so the other
    /// stops now rather than lingers; both are awaited so no pump outlives the session's sockets.
    /// </summary>
    public static async Task<SpliceEnd> BothAsync(SpliceSession session, Task<SpliceEnd> aToB, Task<SpliceEnd> bToA)
    {
        var first = await Task.WhenAny(aToB, bToA);
        var other = first == aToB ? bToA : aToB;
        if (first.Result.Kind == SpliceEndKind.Failed)
        {
            session.End(Outcome.Jilted, first.Result.Detail);
            await other;
            return first.Result;
        }

        var second = await other;
        return second.Kind == SpliceEndKind.Finished ? first.Result : second;
    }
}

internal enum SpliceEndKind
{
    Finished,
    Failed,
    Aborted,
}
