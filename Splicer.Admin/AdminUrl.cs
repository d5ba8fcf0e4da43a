using System.Diagnostics.CodeAnalysis;
using System.Net;
using Splicer.Admin.Hosting;

namespace Splicer.Admin;

/// <summary>What <c>Admin:Url</c> says about where the admin listens.</summary>
internal static class AdminUrl
{
    /// <summary>The URL's host as a URI writes it: <c>127.0.0.1</c>, <c>[::1]</c>, <c>relay.example.net</c>; <c>0.0.0.0</c> for Kestrel's <c>+</c> and <c>*</c>.</summary>
    public static bool TryGetHost(string url, [NotNullWhen(true)] out string? host)
    {
        // Kestrel also takes the wildcards '+' and '*', which Uri does not parse as hosts.
        host = null;
        if (!Uri.TryCreate(url.Replace("://+", "://0.0.0.0").Replace("://*", "://0.0.0.0"), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https"))
        {
            return false;
        }

        host = uri.Host;
        return true;
    }

    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (TryParseAddress(host, out var address) && IPAddress.IsLoopback(address));

    public static bool IsWildcard(string host) =>
        TryParseAddress(host, out var address) && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any));

    /// <summary>Kestrel binds a wildcard to every address, and a name other than <c>localhost</c> too (it does not resolve it).</summary>
    public static bool BindsEveryAddress(string host) => IsWildcard(host) || (!IsLoopback(host) && !TryParseAddress(host, out _));

    private static bool TryParseAddress(string host, [NotNullWhen(true)] out IPAddress? address) =>
        IPAddress.TryParse(host.Trim('[', ']'), out address);
}
