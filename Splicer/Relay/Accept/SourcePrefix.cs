using System.Net;
using System.Net.Sockets;

namespace Splicer.Accept;

/// <summary>
/// The network a connection comes from, as the per-source limits count it: an IPv4 address on its
/// own, an IPv6 address by its prefix (a /64 by default), since one IPv6 host owns a whole /64 and
/// could otherwise walk past a per-address cap by changing its interface id.
/// </summary>
internal static class SourcePrefix
{
    public static IPNetwork Of(IPAddress address, int ipv6PrefixLength)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return new IPNetwork(address, 32);
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        for (var bit = ipv6PrefixLength; bit < 128; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPNetwork(new IPAddress(bytes), ipv6PrefixLength);
    }
}
