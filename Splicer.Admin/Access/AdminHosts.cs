using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Splicer.Admin.Hosting;

namespace Splicer.Admin.Access;

/// <summary>
/// The host names the admin answers (the <c>Host</c> header, port aside). A page of another origin can
/// point its own DNS name at the admin's address (DNS rebinding) and so pass the browser's same-origin
/// rule, but the browser then still sends that name as the host, which the admin refuses with 400.
/// </summary>
internal static class AdminHosts
{
    public static readonly IReadOnlyList<string> Loopback = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>
    /// Loopback, the host of <c>Admin:Url</c> and <c>Admin:AllowedHosts</c>; when the admin listens on
    /// every address, also the addresses of this machine's interfaces: an IP literal cannot be rebound.
    /// </summary>
    public static IReadOnlyList<string> Allowed(AdminOptions admin, Func<IEnumerable<IPAddress>> interfaceAddresses)
    {
        var hosts = new List<string>(Loopback);
        if (AdminUrl.TryGetHost(admin.Url, out var host))
        {
            // The host filter reads 0.0.0.0 and [::] as "any host", which is just what must not happen.
            if (!AdminUrl.IsWildcard(host))
            {
                hosts.Add(host);
            }

            if (AdminUrl.BindsEveryAddress(host))
            {
                hosts.AddRange(interfaceAddresses().Select(Literal));
            }
        }

        foreach (var entry in admin.AllowedHosts)
        {
            if (TryNormalize(entry, out var allowed))
            {
                hosts.Add(allowed);
            }
        }

        return hosts.Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
    }

    /// <summary>
    /// An <c>Admin:AllowedHosts</c> entry as the host filter matches it: a name, <c>*.</c> and a name
    /// (its subdomains), a dotted IPv4 address, or an IPv6 address (brackets optional). No scheme, port
    /// or path, and no wildcard that would let every host in.
    /// </summary>
    public static bool TryNormalize(string entry, [NotNullWhen(true)] out string? host)
    {
        host = null;
        var trimmed = entry.Trim();
        var name = trimmed.StartsWith("*.", StringComparison.Ordinal) ? trimmed[2..] : trimmed;
        var kind = Uri.CheckHostName(name);
        if (kind == UriHostNameType.Dns && !name.All(c => char.IsAsciiDigit(c) || c == '.'))
        {
            host = trimmed;
            return true;
        }

        if (name != trimmed
            || kind is not (UriHostNameType.IPv4 or UriHostNameType.IPv6)
            || !IPAddress.TryParse(name.Trim('[', ']'), out var address)
            || (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
            || address.Equals(IPAddress.Any)
            || address.Equals(IPAddress.IPv6Any)
            // IPv4 shorthands (1.2.3, 1) name other addresses than they seem to.
            || (kind == UriHostNameType.IPv4 && address.ToString() != name))
        {
            return false;
        }

        host = Literal(address);
        return true;
    }

    /// <summary>How a browser writes the address as a host: IPv6 in brackets, without a zone.</summary>
    public static string Literal(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{new IPAddress(address.GetAddressBytes())}]"
            : address.ToString();
}
