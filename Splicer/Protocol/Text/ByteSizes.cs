using System.Globalization;
using System.Text.RegularExpressions;

namespace Splicer.Text;

/// <summary>Byte counts as people write them (<c>512M</c>, <c>10G</c>) and read them (<c>1.5 MiB</c>).</summary>
public static partial class ByteSizes
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB"];

    /// <param name="pattern">How the number above 1 KiB is written, e.g. <c>0.0</c> or <c>0.##</c>.</param>
    public static string Text(long bytes, string pattern)
    {
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : value.ToString(pattern, CultureInfo.InvariantCulture) + " " + Units[unit];
    }

    /// <summary>A byte count: digits with an optional binary unit <c>K M G T</c> (<c>512M</c>, <c>2G</c>); at least 1.</summary>

    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text) || ByteSize().Match(text.Trim()) is not { Success: true } match)
        {
            return false;
        }

        var shift = match.Groups["unit"].Value.ToUpperInvariant() switch { "K" => 10, "M" => 20, "G" => 30, "T" => 40, _ => 0 };
        if (!long.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || number < 1 || number > long.MaxValue >> shift)
        {
            return false;
        }

        bytes = number << shift;
        return true;
    }

    [GeneratedRegex(@"^(?<n>\d{1,19})\s?(?<unit>[KMGTkmgt])?(?:i?B)?$", RegexOptions.CultureInvariant)]
    private static partial Regex ByteSize();
}
