using System.Globalization;

namespace Splicer.Client;

/// <summary>A byte count as people read it: <c>512 B</c>, <c>1.5 MiB</c>.</summary>
public static class ByteSize
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
}
