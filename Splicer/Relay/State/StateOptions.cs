namespace Splicer.State;

/// <summary>Where Splicer keeps what must outlive the process, bound from the <c>Splicer</c> section.</summary>
public sealed class StateOptions
{
    public const string SectionName = "Splicer";

    /// <summary>
    /// <c>Splicer:StateDirectory</c>: the folder for the database, the box key and the DataProtection keys.
    /// When unset: systemd's <c>$STATE_DIRECTORY</c> (the unit's <c>StateDirectory=</c>), else
    /// <c>$XDG_STATE_HOME/splicer</c>, else <c>~/.local/state/splicer</c>.
    /// </summary>
    public string? StateDirectory { get; set; }

    /// <summary>The absolute folder these options name; null when nothing names one (no setting, no HOME).</summary>
    public string? ResolveDirectory()
    {
        var chosen = NonEmpty(StateDirectory)
            ?? FirstOf(Environment.GetEnvironmentVariable("STATE_DIRECTORY"))
            ?? InFolder(Environment.GetEnvironmentVariable("XDG_STATE_HOME"), "splicer")
            ?? InFolder(Environment.GetEnvironmentVariable("HOME"), Path.Combine(".local", "state", "splicer"));
        return chosen is null ? null : Path.GetFullPath(chosen);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    // systemd joins several StateDirectory= entries with ':'; the first is ours.
    private static string? FirstOf(string? list) => NonEmpty(list?.Split(':')[0]);

    private static string? InFolder(string? parent, string child) =>
        NonEmpty(parent) is { } folder ? Path.Combine(folder, child) : null;
}
