using System.Net;
using System.Net.Sockets;
using Splicer.Admin.Hosting;

namespace Splicer.Admin.Access;

/// <summary>
/// Whose failed logins count together: an IPv4 address, or an IPv6 /64, since one host usually
/// holds a whole /64 and may pick any address in it for each try.
/// </summary>
internal static class LoginSource
{
    private const int IPv6PrefixBytes = 8;

    public static IPAddress Of(IPAddress? client)
    {
        if (client is null)
        {
            return IPAddress.None;
        }

        if (client.IsIPv4MappedToIPv6)
        {
            return client.MapToIPv4();
        }

        if (client.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return client;
        }

        var bytes = client.GetAddressBytes();
        bytes.AsSpan(IPv6PrefixBytes).Clear();
        return new IPAddress(bytes);
    }

    public static string Describe(IPAddress source) =>
        source.AddressFamily == AddressFamily.InterNetworkV6 ? $"{source}/64" : source.ToString();
}
