namespace Splicer.Client.Config;

/// <summary>
/// The client's folder: <c>$XDG_CONFIG_HOME/splicer</c>, else <c>~/.config/splicer</c> (on Windows the roaming
/// application data folder). It holds <c>client.json</c> (the remembered relays) and one device key per relay,
/// all readable by their owner only.
/// </summary>
public sealed class ClientDirectory(string path)
{
    public string Path { get; } = path;

    public string ConfigFile => System.IO.Path.Combine(Path, "client.json");

    /// <summary>The device key enrolled with the relay called <paramref name="relayName"/>.</summary>
    public string DeviceKeyFile(string relayName) => System.IO.Path.Combine(Path, $"device-{relayName}.pem");

    public static ClientDirectory Default()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        var root = !string.IsNullOrEmpty(xdg) && System.IO.Path.IsPathRooted(xdg)
            ? xdg
            : OperatingSystem.IsWindows()
                ? Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData)
                : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return new ClientDirectory(System.IO.Path.Combine(root, "splicer"));
    }

    /// <summary>Creates the folder, owner-only (0700), if it is not there yet.</summary>
    public void Create()
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(Path);
            return;
        }

        Directory.CreateDirectory(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
