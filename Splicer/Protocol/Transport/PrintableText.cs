namespace Splicer.Transport;

/// <summary>What a client sent, fit for a log line or a reply: at most 100 characters, anything unprintable as <c>?</c>.</summary>
internal static class PrintableText
{
    public static string Of(string text) =>
        new(text.Take(100).Select(character => character is >= ' ' and < (char)0x7f ? character : '?').ToArray());
}
