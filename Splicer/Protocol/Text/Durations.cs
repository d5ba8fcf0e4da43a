using System.Globalization;
using System.Text.RegularExpressions;

namespace Splicer.Text;

/// <summary>How durations are written wherever a person types one: the admin API, the CLI, the client.</summary>
public static partial class Durations
{
    /// <summary>
    /// A duration: units <c>d h m s</c> in that order (<c>90s</c>, <c>30m</c>, <c>1h30m</c>, <c>7d</c>), or
    /// <c>[d.]hh:mm:ss</c>. Positive and at most <paramref name="longest"/>.
    /// </summary>
    public static bool TryParse(string? text, TimeSpan longest, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        if (UnitDuration().Match(trimmed) is { Success: true } match && match.Length > 0)
        {
            double Part(string name) => match.Groups[name].Success ? double.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
            var seconds = Part("d") * 86400 + Part("h") * 3600 + Part("m") * 60 + Part("s");
            if (seconds > 0 && seconds <= longest.TotalSeconds)
            {
                duration = TimeSpan.FromSeconds(seconds);
                return true;
            }

            return false;
        }

        if (trimmed.Contains(':') && TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero && span <= longest)
        {
            duration = span;
            return true;
        }

        return false;
    }

    [GeneratedRegex(@"^(?:(?<d>\d{1,4})d)?(?:(?<h>\d{1,6})h)?(?:(?<m>\d{1,7})m)?(?:(?<s>\d{1,9})s)?$", RegexOptions.CultureInvariant)]
    private static partial Regex UnitDuration();
}
