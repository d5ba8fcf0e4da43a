namespace Splicer.Access;

/// <summary>Files that hold keys: written whole or not at all, readable by their owner only.</summary>
internal static class KeyFiles
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// Writes <paramref name="content"/> to a temporary file created with mode 0600, flushes it to disk,
    /// then renames it into place, so that <paramref name="path"/> is never seen half-written or with
    /// wider permissions. Without <paramref name="replace"/>, returns false if the file already exists.
    /// </summary>
    public static bool WriteOwnerOnly(string path, ReadOnlySpan<byte> content, bool replace)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerReadWrite;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: replace);
            return true;
        }
        catch (IOException) when (!replace && File.Exists(path))
        {
            return false;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Refuses a key file that anyone but its owner may read or write.</summary>
    public static void RefuseIfOthersCanRead(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOthers) != 0)
        {
            throw new BoxKeyFileException(
                $"The key file {path} is open to group or others (mode {Convert.ToString((int)mode, 8).PadLeft(4, '0')}); Splicer will not use it. "
                + $"Make it owner-only with 'chmod 600 {path}' (and consider rotating the key, since others could read it).");
        }
    }
}
