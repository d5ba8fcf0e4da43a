using System.Globalization;

namespace Splicer.Tests.Admin;

/// <summary>Reads one sample out of Prometheus' text exposition format.</summary>
internal static class PrometheusText
{
    /// <summary>The value of the series written exactly as <paramref name="series"/> (name and labels), or null.</summary>
    public static double? Value(string exposition, string series)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line.AsSpan(series.Length + 1), CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}
