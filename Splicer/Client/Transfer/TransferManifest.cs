using System.Security.Cryptography;
using System.Text.Json;
using Splicer.Client.Failures;

namespace Splicer.Client.Transfer;

/// <summary>
/// What <c>splicer send</c> offers: a file, or a folder with everything under it (files, empty folders,
/// symlinks as links, never followed), parents before children. The receiver checks every path before it
/// writes anything: no <c>..</c>, nothing absolute, and nothing below a link.
/// </summary>
public sealed record TransferManifest(IReadOnlyList<TransferEntry> Entries)
{
    private static readonly JsonSerializerOptions Json = TransferJson.CreateOptions();

    public string RootName => Entries[0].Path;

    public IEnumerable<TransferEntry> Files => Entries.Where(entry => entry.Kind == EntryKind.File);

    public long TotalBytes => Files.Sum(file => file.Size);

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, TransferJson.Info<TransferManifest>(Json));

    public string Hash() => Convert.ToHexStringLower(SHA256.HashData(ToJson()));

    public static TransferManifest FromJson(ReadOnlySpan<byte> json)
    {
        TransferManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(json, TransferJson.Info<TransferManifest>(Json));
        }
        catch (JsonException error)
        {
            throw new ClientFailure($"the sender's list of files cannot be read: {error.Message}");
        }

        return manifest is not null && Problem(manifest) is not { } problem ? manifest : throw new ClientFailure(
            $"the sender's list of files is refused: {(manifest is null ? "empty" : Problem(manifest))}");
    }

    /// <summary>Lists <paramref name="path"/> (a file or a folder) as the sender offers it.</summary>
    public static TransferManifest Of(string path)
    {
        var full = System.IO.Path.GetFullPath(path).TrimEnd(System.IO.Path.DirectorySeparatorChar);
        FileSystemInfo root = Directory.Exists(full) && new DirectoryInfo(full).LinkTarget is null ? new DirectoryInfo(full) : new FileInfo(full);
        if (!root.Exists && root.LinkTarget is null)
        {
            throw new ClientFailure($"{path} does not exist", ClientFailure.Usage);
        }

        var entries = new List<TransferEntry>();
        Add(entries, root, root.Name);
        return new TransferManifest(entries);
    }

    /// <summary>Where <paramref name="entry"/> is on disk, under <paramref name="parent"/> (the folder that holds the root).</summary>
    public static string Local(string parent, TransferEntry entry) =>
        System.IO.Path.Combine([parent, .. entry.Path.Split('/')]);

    private static void Add(List<TransferEntry> entries, FileSystemInfo item, string relative)
    {
        var mode = OperatingSystem.IsWindows() ? 0 : (int)item.UnixFileMode;
        if (item.LinkTarget is { } target)
        {
            entries.Add(new TransferEntry(relative, EntryKind.Link, mode, Target: target));
        }
        else if (item is DirectoryInfo directory)
        {
            entries.Add(new TransferEntry(relative, EntryKind.Directory, mode));
            foreach (var child in directory.EnumerateFileSystemInfos().OrderBy(child => child.Name, StringComparer.Ordinal))
            {
                Add(entries, child, relative + "/" + child.Name);
            }
        }
        else if (item is FileInfo file)
        {
            entries.Add(new TransferEntry(relative, EntryKind.File, mode, file.Length));
        }
    }

    private static string? Problem(TransferManifest manifest)
    {
        if (manifest.Entries is not { Count: > 0 })
        {
            return "it lists nothing";
        }

        var directories = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in manifest.Entries)
        {
            var parts = entry.Path.Split('/');
            if (parts.Any(part => part is "" or "." or ".." || part.Contains('\\') || part.Contains('\0')))
            {
                return $"'{entry.Path}' is not a plain relative path";
            }

            if (entry != manifest.Entries[0] && !directories.Contains(entry.Path[..entry.Path.LastIndexOf('/')]))
            {
                return $"'{entry.Path}' is not inside a folder listed before it";
            }

            if (!seen.Add(entry.Path) || entry.Size < 0 || (entry.Kind == EntryKind.Link) != (entry.Target is { Length: > 0 }))
            {
                return $"'{entry.Path}' is listed twice, or its size or link is wrong";
            }

            if (entry.Kind == EntryKind.Directory)
            {
                directories.Add(entry.Path);
            }
        }

        return manifest.Entries[0].Path.Contains('/') ? "the first entry must be the root" : null;
    }
}
