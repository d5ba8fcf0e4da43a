using System.Globalization;

namespace Splicer.Client;

/// <summary>How a client reaches a relay. Only plain TCP for now; TLS and WebSocket transports come beside it.</summary>
public enum RelayTransport
{
    Tcp,
}

/// <summary>
/// Where a relay's splice port is, as a URL: <c>tcp://relay.example.net:4001</c>. A bare <c>host:port</c> (the
/// form invites carry) is read as <c>tcp://</c>.
/// </summary>
public sealed record RelayAddress(RelayTransport Transport, string Host, int Port)
{
    /// <summary>Schemes other people know, and that this client does not (yet) speak: named in the error.</summary>
    private static readonly string[] LaterSchemes = ["tls", "ws", "wss"];

    public static RelayAddress Parse(string text)
    {
        if (TryParse(text, out var address, out var problem))
        {
            return address!;
        }

        throw new ClientFailure($"'{text}' is not a relay URL: {problem} (e.g. tcp://relay.example.net:4001)", ClientFailure.Usage);
    }

    public static bool TryParse(string text, out RelayAddress? address, out string problem)
    {
        address = null;
        var trimmed = text.Trim();
        var separator = trimmed.IndexOf("://", StringComparison.Ordinal);
        var scheme = separator < 0 ? "tcp" : trimmed[..separator].ToLowerInvariant();
        var rest = separator < 0 ? trimmed : trimmed[(separator + 3)..];
        if (scheme != "tcp")
        {
            problem = LaterSchemes.Contains(scheme)
                ? $"the {scheme}:// transport is not supported by this client yet"
                : $"unknown scheme '{scheme}'";
            return false;
        }

        if (rest.EndsWith('/'))
        {
            rest = rest[..^1];
        }

        var colon = rest.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(rest.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            problem = "it needs a host and a port from 1 to 65535";
            return false;
        }

        var host = rest[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        if (host.Length == 0 || host.Any(character => char.IsWhiteSpace(character) || character is '/' or '@' or '?' or '#'))
        {
            problem = "the host is empty or has characters a host name cannot have";
            return false;
        }

        address = new RelayAddress(RelayTransport.Tcp, host, port);
        problem = "";
        return true;
    }

    public override string ToString() =>
        $"{Transport.ToString().ToLowerInvariant()}://{(Host.Contains(':') ? $"[{Host}]" : Host)}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
