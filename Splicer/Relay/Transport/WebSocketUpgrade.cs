using System.Text;

namespace Splicer.Transport;

/// <summary>
/// Decides an HTTP/1.1 upgrade request (RFC 6455 section 4.2): the 101 answer that opens the WebSocket,
/// or a status with a reason in words. No extension is accepted (so no compression) and no subprotocol.
/// </summary>
internal static class WebSocketUpgrade
{
    /// <summary>Where the request's head ends (the blank line), or -1 if it has not arrived yet.</summary>
    public static int HeadLength(ReadOnlySpan<byte> received)
    {
        var end = received.IndexOf("\r\n\r\n"u8);
        return end < 0 ? -1 : end + 4;
    }

    public static UpgradeDecision Decide(ReadOnlySpan<byte> head, WebSocketTransportOptions options)
    {
        var lines = Encoding.Latin1.GetString(head).Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine is not ["GET", var target, "HTTP/1.1"])
        {
            return UpgradeDecision.Refuse(400, "Bad Request", "not an HTTP/1.1 GET request");
        }

        var path = target.Split('?', 2)[0];
        if (path != options.Path)
        {
            return UpgradeDecision.Refuse(404, "Not Found", $"WebSocket clients connect at {options.Path}");
        }

        var headers = ReadHeaders(lines);
        if (headers is null)
        {
            return UpgradeDecision.Refuse(400, "Bad Request", "a header line cannot be read");
        }

        if (!HasToken(headers, "upgrade", "websocket"))
        {
            return UpgradeDecision.Refuse(426, "Upgrade Required", $"this is a relay port: WebSocket clients upgrade at {options.Path}");
        }

        if (!HasToken(headers, "connection", "upgrade"))
        {
            return UpgradeDecision.Refuse(400, "Bad Request", "Connection: Upgrade is missing");
        }

        if (headers.GetValueOrDefault("sec-websocket-version")?.Trim() != "13")
        {
            return UpgradeDecision.Refuse(426, "Upgrade Required", "this relay speaks WebSocket version 13");
        }

        var key = headers.GetValueOrDefault("sec-websocket-key")?.Trim();
        if (key is null || !IsNonce(key))
        {
            return UpgradeDecision.Refuse(400, "Bad Request", "Sec-WebSocket-Key must be 16 bytes in base64");
        }

        if (headers.GetValueOrDefault("origin") is { } origin && options.AllowedOrigins.Count > 0
            && !options.AllowedOrigins.Any(allowed => string.Equals(allowed.TrimEnd('/'), origin.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            return UpgradeDecision.Refuse(403, "Forbidden", $"origin {PrintableText.Of(origin)} is not allowed (Splicer:WebSocket:AllowedOrigins)");
        }

        return UpgradeDecision.Accept(WebSocketAccept.ValueFor(key), headers.GetValueOrDefault("origin"));
    }

    private static Dictionary<string, string>? ReadHeaders(string[] lines)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1).TakeWhile(line => line.Length > 0))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0 || line[..colon].Any(character => character <= ' '))
            {
                return null;
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim();
            headers[name] = headers.TryGetValue(name, out var earlier) ? earlier + ", " + value : value;
        }

        return headers;
    }

    private static bool HasToken(Dictionary<string, string> headers, string name, string token) =>
        headers.TryGetValue(name, out var value)
        && value.Split(',').Any(part => string.Equals(part.Trim(), token, StringComparison.OrdinalIgnoreCase));

    private static bool IsNonce(string key)
    {
        Span<byte> decoded = stackalloc byte[24];
        return Convert.TryFromBase64String(key, decoded, out var length) && length == 16;
    }

}

/// <summary>The answer to an upgrade request: the bytes to send, and whether a WebSocket follows them.</summary>
internal sealed record UpgradeDecision(bool IsAccepted, int Status, string Reason, ReadOnlyMemory<byte> Response, string? Origin)
{
    public static UpgradeDecision Accept(string acceptValue, string? origin) => new(true, 101, "Switching Protocols", Encoding.ASCII.GetBytes(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        $"Sec-WebSocket-Accept: {acceptValue}\r\n\r\n"), origin);

    public static UpgradeDecision Refuse(int status, string statusText, string reason)
    {
        var body = reason + "\n";
        var extra = status == 426 ? "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n" : "";
        return new UpgradeDecision(false, status, reason, Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status} {statusText}\r\n{extra}Content-Type: text/plain; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}"), null);
    }
}
