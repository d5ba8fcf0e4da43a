using System.Text;
using Splicer.Admin.Hosting;

namespace Splicer.Admin.Updates;

/// <summary>
/// The files the relay and the appliance's root update service talk through. The relay writes, in its
/// own folder, the bundle and request files (each made whole under another name, then renamed, so the
/// service's path unit never sees half a file); the service writes, in a world-readable folder of its
/// own, RAUC's status, the running version and the install's progress.
/// </summary>
internal sealed class UpdateFiles(string directory, string statusDirectory)
{
    public const string BundleName = "bundle.raucb";
    public const string InstallRequestName = "install-request";
    public const string RebootRequestName = "reboot-request";
    public const string RaucStatusName = "rauc-status.json";
    public const string ProgressName = "install.json";
    public const string VersionName = "version";
    private const string PartialSuffix = ".part";

    public string Directory { get; } = directory;

    public string StatusDirectory { get; } = statusDirectory;

    private string Bundle => Path.Combine(Directory, BundleName);

    private string PartialBundle => Bundle + PartialSuffix;

    /// <summary>The update service writes RAUC's status at every boot: without it there is nobody to install.</summary>
    public bool InstallerPresent => File.Exists(StatusPath(RaucStatusName));

    public bool InstallRequested => File.Exists(Path.Combine(Directory, InstallRequestName));

    public bool RebootRequested => File.Exists(Path.Combine(Directory, RebootRequestName));

    /// <summary>A new file for the bundle being received, readable by its owner (and root) only.</summary>
    public FileStream CreatePartialBundle()
    {
        EnsureDirectory();
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(PartialBundle, options);
    }

    public void CommitBundle() => File.Move(PartialBundle, Bundle, overwrite: true);

    public void DiscardPartialBundle() => File.Delete(PartialBundle);

    /// <summary>Writes a request file whole: its appearance is what the update service waits for.</summary>
    public async Task RequestAsync(string name, string content, CancellationToken cancellationToken)
    {
        EnsureDirectory();
        var path = Path.Combine(Directory, name);
        await File.WriteAllTextAsync(path + PartialSuffix, content, Encoding.UTF8, cancellationToken);
        File.Move(path + PartialSuffix, path, overwrite: true);
    }

    /// <summary>A file the update service wrote, or null when it has not.</summary>
    public async Task<string?> ReadStatusAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(StatusPath(name), cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private string StatusPath(string name) => Path.Combine(StatusDirectory, name);

    private void EnsureDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
