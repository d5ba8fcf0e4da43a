using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Splicer.Client.PortMapping;

/// <summary>
/// Finds UPnP Internet Gateway Devices on the LAN: an SSDP M-SEARCH (sent twice, since UDP may lose one) from the
/// interface that faces the gateway, and the LOCATION of every device that answers within the wait.
/// </summary>
internal static class SsdpSearch
{
    public static readonly IPEndPoint MulticastGroup = new(IPAddress.Parse("239.255.255.250"), 1900);
    private const string SearchTarget = "urn:schemas-upnp-org:device:InternetGatewayDevice:1";
    private const int LargestAnswer = 2048;

    public static async Task<IReadOnlyList<Uri>> FindAsync(IPAddress localAddress, IPEndPoint target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var socket = new Socket(localAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        var search = Encoding.ASCII.GetBytes(Search(target));
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        var found = new List<Uri>();
        string? lastProblem = null;
        var buffer = new byte[LargestAnswer];
        try
        {
            socket.Bind(new IPEndPoint(localAddress, 0));
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, localAddress.GetAddressBytes());
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 2);
            await socket.SendToAsync(search, target, wait.Token);
            await socket.SendToAsync(search, target, wait.Token);
            while (true)
            {
                var received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), wait.Token);
                var source = ((IPEndPoint)received.RemoteEndPoint).Address;
                if (TryReadLocation(Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes), source, out var location, out var problem))
                {
                    if (!found.Contains(location))
                    {
                        found.Add(location);
                    }
                }
                else
                {
                    lastProblem = problem;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
        catch (SocketException error)
        {
            throw new PortMappingException($"the SSDP search failed: {error.SocketErrorCode}");
        }

        return found.Count > 0
            ? found
            : throw new PortMappingException(lastProblem is null
                ? $"no UPnP gateway answered the SSDP search within {timeout.TotalSeconds:0.#}s"
                : $"no usable answer to the SSDP search within {timeout.TotalSeconds:0.#}s (the last: {lastProblem})");
    }

    public static string Search(IPEndPoint target) =>
        "M-SEARCH * HTTP/1.1\r\n"
        + $"HOST: {target}\r\n"
        + "MAN: \"ssdp:discover\"\r\n"
        + "MX: 1\r\n"
        + $"ST: {SearchTarget}\r\n"
        + "\r\n";

    /// <summary>
    /// The LOCATION of a search answer, accepted only from a 200 answer about a gateway, as an http URL on the very
    /// address that answered: another host on the LAN cannot send this client to a third one.
    /// </summary>
    public static bool TryReadLocation(string answer, IPAddress source, out Uri location, out string? problem)
    {
        location = null!;
        var lines = answer.Split("\r\n");
        if (!lines[0].StartsWith("HTTP/1.1 200", StringComparison.Ordinal) && !lines[0].StartsWith("HTTP/1.0 200", StringComparison.Ordinal))
        {
            problem = $"an answer that is not 200 OK from {source}";
            return false;
        }

        var text = Header(lines, "LOCATION");
        if (text is null || !Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            problem = $"an answer from {source} without an http LOCATION";
            return false;
        }

        if (!IPAddress.TryParse(uri.Host.Trim('[', ']'), out var host) || !host.Equals(source))
        {
            problem = $"an answer from {source} pointing at another host ({uri.Host})";
            return false;
        }

        location = uri;
        problem = null;
        return true;
    }

    private static string? Header(string[] lines, string name) =>
        lines.Skip(1)
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2 && parts[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            .Select(parts => parts[1].Trim())
            .FirstOrDefault();
}
