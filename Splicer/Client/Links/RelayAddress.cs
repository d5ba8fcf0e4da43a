using System.Globalization;
using Splicer.Client.Failures;

namespace Splicer.Client.Links;

/// <summary>
/// Where a relay's splice port is, as a URL: <c>tcp://relay.example.net:4001</c>, <c>tls://…</c>, <c>ws://…/path</c>
/// or <c>wss://…/path</c>. A bare <c>host:port</c> (the form invites carry) is read as <c>tcp://</c>. TLS and
/// WebSocket URLs may leave out the port (443, or 80 for <c>ws://</c>); a WebSocket path defaults to <c>/</c>.
/// </summary>
public sealed record RelayAddress(RelayTransport Transport, string Host, int Port, string Path = "/")
{
    public bool IsWebSocket => Transport is RelayTransport.Ws or RelayTransport.Wss;

    public bool IsTls => Transport is RelayTransport.Tls or RelayTransport.Wss;

    public static RelayAddress Parse(string text)
    {
        if (TryParse(text, out var address, out var problem))
        {
            return address!;
        }

        throw new ClientFailure($"'{text}' is not a relay URL: {problem} (e.g. tcp://relay.example.net:4001 or wss://relay.example.net/)", ClientFailure.Usage);
    }

    public static bool TryParseTransport(string text, out RelayTransport transport) =>
        Enum.TryParse(text, ignoreCase: true, out transport) && Enum.IsDefined(transport) && !text.Any(char.IsDigit);

    public static bool TryParse(string text, out RelayAddress? address, out string problem)
    {
        address = null;
        var trimmed = text.Trim();
        var separator = trimmed.IndexOf("://", StringComparison.Ordinal);
        var scheme = separator < 0 ? "tcp" : trimmed[..separator].ToLowerInvariant();
        var rest = separator < 0 ? trimmed : trimmed[(separator + 3)..];
        if (!TryParseTransport(scheme, out var transport))
        {
            problem = $"unknown scheme '{scheme}' (tcp, tls, ws or wss)";
            return false;
        }

        var slash = rest.IndexOf('/');
        var path = slash < 0 ? "/" : rest[slash..];
        rest = slash < 0 ? rest : rest[..slash];
        if (transport is RelayTransport.Tcp or RelayTransport.Tls && path != "/")
        {
            problem = $"a {scheme}:// URL has no path";
            return false;
        }

        if (path.Any(character => character <= ' ' || character is '?' or '#' or (char)0x7f))
        {
            problem = "the path has a space, a query or a fragment";
            return false;
        }

        if (!TrySplitHostPort(rest, DefaultPort(transport), out var host, out var port, out problem))
        {
            return false;
        }

        address = new RelayAddress(transport, host, port, path);
        return true;
    }

    /// <summary>The same host and port reached over another transport (<c>--transport</c>).</summary>
    public RelayAddress Over(RelayTransport transport) =>
        this with { Transport = transport, Path = transport is RelayTransport.Ws or RelayTransport.Wss ? Path : "/" };

    /// <summary>The Host header of a WebSocket upgrade: the port only when it's not the scheme's own.</summary>
    public string Authority => Port == DefaultPort(Transport) ? BracketedHost : $"{BracketedHost}:{Port.ToString(CultureInfo.InvariantCulture)}";

    public override string ToString() =>
        $"{Transport.ToString().ToLowerInvariant()}://{BracketedHost}:{Port.ToString(CultureInfo.InvariantCulture)}{(IsWebSocket ? Path : "")}";

    private string BracketedHost => Host.Contains(':') ? $"[{Host}]" : Host;

    private static int? DefaultPort(RelayTransport transport) => transport switch
    {
        RelayTransport.Tls or RelayTransport.Wss => 443,
        RelayTransport.Ws => 80,
        _ => null,
    };

    private static bool TrySplitHostPort(string text, int? defaultPort, out string host, out int port, out string problem)
    {
        var bracketEnd = text.StartsWith('[') ? text.IndexOf(']') : -1;
        var colon = text.LastIndexOf(':');
        var hasPort = colon > 0 && (text.StartsWith('[') ? colon > bracketEnd : text.IndexOf(':') == colon);
        host = hasPort ? text[..colon] : text;
        port = defaultPort ?? 0;
        problem = "";
        if (hasPort && (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            problem = "the port must be a number from 1 to 65535";
            return false;
        }

        if (!hasPort && defaultPort is null)
        {
            problem = "it needs a host and a port from 1 to 65535";
            return false;
        }

        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        if (host.Length == 0 || host.Any(character => char.IsWhiteSpace(character) || character is '/' or '@' or '?' or '#' or '[' or ']'))
        {
            problem = "the host is empty or has characters a host name cannot have";
            return false;
        }

        return true;
    }
}
