namespace Splicer.Admin.Access;

/// <summary>
/// A secret kept in a file of its own, so it is never on a command line (where <c>ps</c> shows it): one
/// line, trimmed. As <c>ssh</c> does with a private key, a file that its group or others may read is
/// refused, not warned about: a warning on an appliance is read by nobody, and the token is the admin.
/// </summary>
public static class TokenFile
{
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Reads the secret in <paramref name="path"/>; on failure, null and one line naming <paramref name="key"/> says why.</summary>
    public static string? TryRead(string key, string path, out string? problem)
    {
        problem = Problem(key, path, out var secret);
        return problem is null ? secret : null;
    }

    private static string? Problem(string key, string path, out string? secret)
    {
        secret = null;
        if (!Path.IsPathFullyQualified(path))
        {
            return $"{key} must be an absolute path (was '{path}').";
        }

        string text;
        try
        {
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & GroupOrOthers) != 0)
            {
                return $"{key} '{path}' may be read or changed by its group or others; make it owner-only: chmod 600 '{path}'.";
            }

            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"{key} '{path}' cannot be read: {Reason(ex)}.";
        }

        secret = text.Trim();
        return secret.Length == 0 ? $"{key} '{path}' is empty; it must hold the token on one line."
            : secret.Any(char.IsWhiteSpace) ? $"{key} '{path}' must hold the token alone on one line (it has spaces or more lines)."
            : null;
    }

    private static string Reason(Exception ex) => ex switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file",
        UnauthorizedAccessException => "permission denied",
        _ => ex.Message.TrimEnd('.'),
    };
}
