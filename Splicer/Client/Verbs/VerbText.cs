using System.CommandLine;

namespace Splicer.Client.Verbs;

/// <summary>How every verb describes itself and checks its text options.</summary>
internal static class VerbText
{
    /// <summary>A description followed by examples, as <c>--help</c> shows it.</summary>
    public static string Described(string description, params string[] examples) =>
        description + Environment.NewLine + Environment.NewLine
        + (examples.Length == 1 ? "Example:" : "Examples:") + Environment.NewLine
        + string.Join(Environment.NewLine, examples.Select(example => "  " + example));

    /// <summary>Adds a check that <paramref name="option"/>'s text reads as <paramref name="reads"/> wants; else a usage error.</summary>
    public static Option<string?> Checked(this Option<string?> option, Func<string, bool> reads, string expected)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text && !reads(text))
            {
                result.AddError($"{option.Name} {expected} (was '{text}').");
            }
        });
        return option;
    }
}
