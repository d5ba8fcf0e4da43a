namespace Splicer.Client.Transfer;

/// <summary>The receiver's last word: every hash matched and the result is in place, or why not.</summary>
public sealed record TransferVerdict(bool Ok, string? Problem);
