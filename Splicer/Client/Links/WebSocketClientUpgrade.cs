using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Splicer.Transport;

namespace Splicer.Client.Links;

/// <summary>
/// The client half of the HTTP/1.1 WebSocket upgrade (RFC 6455 section 4.1): the request, and the check of the
/// relay's 101 answer and its <c>Sec-WebSocket-Accept</c>. The answer is read a byte at a time, never past its
/// blank line, so the first WebSocket frame stays for the framing.
/// </summary>
public static class WebSocketClientUpgrade
{
    private const int MaxAnswerHead = 8 * 1024;

    public static async Task UpgradeAsync(Stream stream, RelayAddress address, CancellationToken cancellationToken)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = $"GET {address.Path} HTTP/1.1\r\nHost: {address.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nUser-Agent: splicer\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancellationToken);
        await stream.FlushAsync(cancellationToken);
        Check(await ReadHeadAsync(stream, cancellationToken), key, address);
    }

    internal static void Check(string head, string key, RelayAddress address)
    {
        var lines = head.Split("\r\n");
        var status = lines[0].Split(' ', 3);
        if (status.Length < 2 || !status[0].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            throw new IOException($"{address} did not answer the WebSocket upgrade with HTTP ('{PrintableText.Of(lines[0])}')");
        }

        if (status[1] != "101")
        {
            throw new IOException($"{address} refused the WebSocket upgrade: {PrintableText.Of(string.Join(' ', status[1..]))}");
        }

        var headers = lines.Skip(1)
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .ToLookup(parts => parts[0].Trim(), parts => parts[1].Trim(), StringComparer.OrdinalIgnoreCase);
        if (!headers["Upgrade"].Any(value => value.Equals("websocket", StringComparison.OrdinalIgnoreCase))
            || !headers["Connection"].Any(value => value.Split(',').Any(token => token.Trim().Equals("upgrade", StringComparison.OrdinalIgnoreCase))))
        {
            throw new IOException($"{address} answered 101 without upgrading to WebSocket");
        }

        if (!headers["Sec-WebSocket-Accept"].Contains(WebSocketAccept.ValueFor(key)))
        {
            throw new IOException($"{address} answered the WebSocket upgrade with a wrong Sec-WebSocket-Accept (a proxy in the way?)");
        }
    }

    private static async Task<string> ReadHeadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (head.Length < MaxAnswerHead)
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new IOException(head.Length == 0
                    ? "the relay closed the connection instead of answering the WebSocket upgrade"
                    : "the relay closed the connection in the middle of its WebSocket upgrade answer");
            }

            head.Append((char)one[0]);
            if (head.Length >= 4 && head[^1] == '\n' && head[^2] == '\r' && head[^3] == '\n' && head[^4] == '\r')
            {
                return head.ToString(0, head.Length - 4);
            }
        }

        throw new IOException($"the relay's WebSocket upgrade answer is longer than {MaxAnswerHead.ToString(CultureInfo.InvariantCulture)} bytes");
    }
}
