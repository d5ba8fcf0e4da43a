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
}

internal enum SpliceEndKind
{
    Finished,
    Failed,
    Aborted,
}
