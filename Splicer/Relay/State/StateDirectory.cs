namespace Splicer.State;

/// <summary>
/// The folder that holds Splicer's state, created on first use readable by its owner only (0700):
/// the database, the box key and the DataProtection keys are inside.
/// </summary>
public sealed class StateDirectory
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public StateDirectory(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
    }

    public string Path { get; }

    /// <summary>The path of a file or folder inside the state directory.</summary>
    public string PathOf(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Creates the folder (and its parents) if it is missing; an existing folder keeps its mode.</summary>
    public StateDirectory EnsureExists()
    {
        if (!Directory.Exists(Path))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(Path);
            }
            else
            {
                Directory.CreateDirectory(Path, OwnerOnly);
            }
        }

        return this;
    }

    /// <summary>Creates a sub-folder, owner-only like the state directory itself.</summary>
    public string EnsureSubdirectory(string name)
    {
        EnsureExists();
        var path = PathOf(name);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, OwnerOnly);
        }

        return path;
    }

    public override string ToString() => Path;
}
