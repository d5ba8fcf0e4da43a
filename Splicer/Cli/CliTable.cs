using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Splicer.Client.Verbs;

namespace Splicer.Cli;

/// <summary>What the CLI prints: aligned columns for people, the admin's own JSON for scripts.</summary>
internal static class CliTable
{
    // Printed for people and scripts, not embedded in HTML: '+' in a time stays '+'.
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.ToList();
        var widths = headers.Select((header, i) => Math.Max(header.Length, all.Count == 0 ? 0 : all.Max(row => row[i].Length))).ToArray();
        output.WriteLine(Line(headers, widths));
        foreach (var row in all)
        {
            output.WriteLine(Line(row, widths));
        }
    }

    /// <summary>The answer's JSON, indented.</summary>
    public static void WriteJson(TextWriter output, string json)
    {
        using var document = JsonDocument.Parse(json);
        var indented = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(indented, Indented))
        {
            document.WriteTo(writer);
        }

        output.WriteLine(Encoding.UTF8.GetString(indented.WrittenSpan));
    }

    public static string Bytes(long bytes) => Splicer.Text.ByteSizes.Text(bytes, "0.##");

    public static string Left(double seconds)
    {
        var span = TimeSpan.FromSeconds(Math.Ceiling(seconds));
        return span.TotalDays >= 1 ? $"{(int)span.TotalDays}d {span.Hours}h"
            : span.TotalHours >= 1 ? $"{span.Hours}h {span.Minutes}m"
            : span.TotalMinutes >= 1 ? $"{span.Minutes}m {span.Seconds}s"
            : $"{span.Seconds}s";
    }

    public static string When(DateTimeOffset? at) => at is { } time ? time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "never";

    private static string Line(IReadOnlyList<string> cells, int[] widths) =>
        string.Join("  ", cells.Select((cell, i) => i == cells.Count - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd();
}
