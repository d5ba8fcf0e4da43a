namespace Splicer.Client.Transfer;

/// <summary>
/// What the receiver answers to the manifest: how many bytes of each file (in manifest order) it already holds,
/// or why it will not take the transfer at all.
/// </summary>
public sealed record ResumeOffsets(IReadOnlyList<long> Offsets, string? Refused = null);
