using System.Globalization;

namespace Splicer.Bench.Reporting;

internal static class Format
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A figure with about three significant digits: 3 412, 812, 41.2, 3.41, 0.412.</summary>
    public static string Number(double value) => Math.Abs(value) switch
    {
        >= 1000 => value.ToString("#,0", Invariant).Replace(',', ' '),
        >= 100 => value.ToString("0", Invariant),
        >= 10 => value.ToString("0.0", Invariant),
        _ => value.ToString("0.00", Invariant),
    };

    public static string Ratio(double value) => value.ToString(value >= 10 ? "0.0" : "0.00", Invariant) + "×";

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30} GiB",
        >= 1L << 20 when bytes % (1L << 20) == 0 => $"{bytes >> 20} MiB",
        >= 1L << 10 when bytes % (1L << 10) == 0 => $"{bytes >> 10} KiB",
        _ => $"{bytes} B",
    };

    /// <summary>Parses 1G, 256M, 64K, 1GiB, or a plain number of bytes.</summary>
    public static bool TryParseBytes(string text, out long bytes)
    {
        var trimmed = text.Trim().TrimEnd('B', 'b').TrimEnd('i');
        var multiplier = trimmed.Length == 0 ? 1L : char.ToUpperInvariant(trimmed[^1]) switch
        {
            'K' => 1L << 10,
            'M' => 1L << 20,
            'G' => 1L << 30,
            _ => 1L,
        };
        if (multiplier != 1)
        {
            trimmed = trimmed[..^1];
        }

        bytes = 0;
        if (!double.TryParse(trimmed, NumberStyles.Float, Invariant, out var number) || number <= 0)
        {
            return false;
        }

        bytes = (long)(number * multiplier);
        return true;
    }
}
