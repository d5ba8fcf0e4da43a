namespace Splicer.Client.Transfer;

/// <summary>One thing sent: its path below the folder that holds the root (always '/'-separated), its kind and mode.</summary>
public sealed record TransferEntry(string Path, EntryKind Kind, int Mode, long Size = 0, string? Target = null);
