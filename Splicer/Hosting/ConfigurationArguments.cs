using System.Text.RegularExpressions;

namespace Splicer.Hosting;

/// <summary>
/// What the relay takes on its command line: configuration only, as <c>--Section:Key=value</c>,
/// <c>--Section:Key value</c> or <c>Section:Key=value</c>. Anything else (<c>--port 4002</c>) is a mistake
/// to say, not a word to ignore.
/// </summary>
internal static partial class ConfigurationArguments
{
    /// <summary>The first argument that is not configuration, or null when all are.</summary>
    public static string? FirstNotConfiguration(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var key = args[i].TrimStart('-', '/');
            var named = key.Length < args[i].Length;
            if (!key.Contains(':') || key.StartsWith(':'))
            {
                return args[i];
            }

            if (named && !key.Contains('=') && i + 1 < args.Count)
            {
                i++; // --Section:Key value
            }
            else if (!named && !key.Contains('='))
            {
                return args[i];
            }
        }

        return null;
    }

    public static string Unknown(string argument) =>
        $"splicer serve: '{argument}' is not configuration; the relay takes --Section:Key=value (for example --Splicer:Port=4002, --Admin:Url=http://127.0.0.1:8081). Run 'splicer serve --help' for usage.";

    /// <summary>The binder's "Failed to convert … to type 'System.Int32'" in the words of the key, else the message as it is.</summary>
    public static string Explain(string message) => NotConverted().Match(message) is { Success: true } match
        ? $"{match.Groups["key"].Value} must be {Expected(match.Groups["type"].Value)} (was '{match.Groups["value"].Value}')."
        : message;

    private static string Expected(string type) => type switch
    {
        "Int32" or "Int64" or "UInt16" => "a whole number",
        "TimeSpan" => "a duration as [d.]hh:mm:ss, such as 00:00:30",
        "Boolean" => "true or false",
        _ => $"a value of type {type}",
    };

    [GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']+)' to type '(?:[\w.]+\.)?(?<type>\w+)'")]
    private static partial Regex NotConverted();
}
