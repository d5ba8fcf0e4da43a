using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;

namespace Splicer.Client.PortMapping;

/// <summary>
/// The next hop of this host's default route, read from the kernel's route tables (<c>/proc/net/route</c>, then
/// <c>/proc/net/ipv6_route</c>): the router to ask for a mapping. IPv4 first, since NAT-PMP and UPnP speak only it.
/// </summary>
internal static class DefaultGateway
{
    private const int RouteUp = 0x1;
    private const int RouteGateway = 0x2;

    public static IPAddress? Find()
    {
        var ipv4 = ReadOrEmpty("/proc/net/route");
        return FromIpv4Routes(ipv4) ?? FromIpv6Routes(ReadOrEmpty("/proc/net/ipv6_route"), InterfaceIndex);
    }

    /// <summary>The lowest-metric default route's gateway in <c>/proc/net/route</c>'s text (addresses in little-endian hex).</summary>
    public static IPAddress? FromIpv4Routes(string table) =>
        table.Split('\n').Skip(1)
            .Select(line => line.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 8 && fields[1] == "00000000" && fields[7] == "00000000")
            .Select(fields => (Flags: Hex(fields[3]), Gateway: Hex(fields[2]), Metric: Hex(fields[6])))
            .Where(route => route.Flags is { } flags && (flags & (RouteUp | RouteGateway)) == (RouteUp | RouteGateway) && route.Gateway is > 0 && route.Metric is not null)
            .OrderBy(route => route.Metric)
            .Select(route => new IPAddress(route.Gateway!.Value))
            .FirstOrDefault();

    /// <summary>The lowest-metric default route's gateway in <c>/proc/net/ipv6_route</c>'s text, scoped to its interface (link-local).</summary>
    public static IPAddress? FromIpv6Routes(string table, Func<string, int> interfaceIndex) =>
        table.Split('\n')
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 10 && fields[0] == new string('0', 32) && fields[1] == "00" && fields[4].Length == 32 && fields[4] != new string('0', 32))
            .Select(fields => (Flags: Hex(fields[8]), Gateway: fields[4], Metric: Hex(fields[5]), Interface: fields[9]))
            .Where(route => route.Flags is { } flags && (flags & (RouteUp | RouteGateway)) == (RouteUp | RouteGateway) && route.Metric is not null)
            .OrderBy(route => route.Metric)
            .Select(route => Ipv6(route.Gateway, interfaceIndex(route.Interface)))
            .FirstOrDefault(address => address is not null);

    private static IPAddress? Ipv6(string hex, int scope)
    {
        try
        {
            var address = new IPAddress(Convert.FromHexString(hex));
            if (address.IsIPv6LinkLocal)
            {
                address.ScopeId = scope;
            }

            return address;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static uint? Hex(string text) => uint.TryParse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static int InterfaceIndex(string name) =>
        NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(candidate => candidate.Name == name)?.GetIPProperties().GetIPv6Properties()?.Index ?? 0;

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
