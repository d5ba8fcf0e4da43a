using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Splicer.Client.PortMapping;

/// <summary>
/// A TCP mapping through a UPnP Internet Gateway Device: found by SSDP, its description read for the connection
/// service, then AddPortMapping (again to renew) and DeletePortMapping. A port taken by another host is answered by
/// trying a few others; a gateway that only keeps permanent leases gets one, deleted when the mapping is disposed.
/// </summary>
internal sealed class UpnpSession(IPAddress gateway, IPEndPoint ssdpTarget, int localPort, TimeSpan searchTimeout, TimeSpan requestTimeout) : IMappingSession
{
    private const int PortTries = 4;
    private const int LongestLeaseSeconds = 604800;

    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = requestTimeout, AllowAutoRedirect = false })
    {
        Timeout = requestTimeout,
        MaxResponseContentBufferSize = UpnpXml.LargestDocument,
    };

    private UpnpSoap? _soap;
    private IPAddress _localAddress = IPAddress.None;
    private int _externalPort;
    private bool _permanent;

    public PortMappingProtocol Protocol => PortMappingProtocol.Upnp;

    public async Task<PortMappingGrant> MapAsync(TimeSpan lifetime, CancellationToken cancellationToken)
    {
        if (gateway.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new PortMappingException("UPnP-IGD port mapping needs an IPv4 gateway");
        }

        var soap = _soap ??= await ConnectAsync(cancellationToken);
        var external = await ExternalAddressAsync(soap, cancellationToken);
        var seconds = _permanent ? 0 : (int)Math.Min(PcpSession.Seconds(lifetime), LongestLeaseSeconds);
        var port = _externalPort == 0 ? localPort : _externalPort;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await soap.CallAsync("AddPortMapping", AddArguments(port, seconds), cancellationToken);
                _externalPort = port;
                return new PortMappingGrant(new IPEndPoint(external, port), TimeSpan.FromSeconds(seconds));
            }
            catch (UpnpFaultException fault) when (fault.Code == UpnpFaultException.OnlyPermanentLeasesSupported && seconds != 0)
            {
                _permanent = true;
                seconds = 0;
            }
            catch (UpnpFaultException fault) when (fault.Code == UpnpFaultException.ConflictInMappingEntry && _externalPort == 0 && attempt < PortTries)
            {
                port = RandomNumberGenerator.GetInt32(1024, 65536);
            }
            catch (UpnpFaultException fault)
            {
                throw new PortMappingException(fault.Message);
            }
        }
    }

    public async Task DeleteAsync(CancellationToken cancellationToken)
    {
        if (_soap is null || _externalPort == 0)
        {
            return;
        }

        try
        {
            await _soap.CallAsync("DeletePortMapping", [("NewRemoteHost", ""), ("NewExternalPort", $"{_externalPort}"), ("NewProtocol", "TCP")], cancellationToken);
        }
        catch (UpnpFaultException fault)
        {
            throw new PortMappingException(fault.Message);
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<UpnpSoap> ConnectAsync(CancellationToken cancellationToken)
    {
        _localAddress = LocalAddressToward(gateway);
        var problems = new List<string>();
        foreach (var location in await SsdpSearch.FindAsync(_localAddress, ssdpTarget, searchTimeout, cancellationToken))
        {
            try
            {
                var description = await _http.GetStringAsync(location, cancellationToken);
                return new UpnpSoap(_http, IgdDescription.FindConnectionService(description, location));
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                problems.Add($"{location}: {error.Message}");
            }
            catch (PortMappingException error)
            {
                problems.Add($"{location}: {error.Message}");
            }
        }

        throw new PortMappingException($"no gateway's description was usable ({string.Join("; ", problems)})");
    }

    private static async Task<IPAddress> ExternalAddressAsync(UpnpSoap soap, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await soap.CallAsync("GetExternalIPAddress", [], cancellationToken);
            var text = UpnpXml.Descendant(answer, "NewExternalIPAddress");
            return IPAddress.TryParse(text, out var address) && address.AddressFamily == AddressFamily.InterNetwork && !address.Equals(IPAddress.Any)
                ? address
                : throw new PortMappingException($"the gateway has no usable external address ('{text}')");
        }
        catch (UpnpFaultException fault)
        {
            throw new PortMappingException(fault.Message);
        }
    }

    private IEnumerable<(string, string)> AddArguments(int externalPort, int seconds) =>
    [
        ("NewRemoteHost", ""),
        ("NewExternalPort", $"{externalPort}"),
        ("NewProtocol", "TCP"),
        ("NewInternalPort", $"{localPort}"),
        ("NewInternalClient", _localAddress.ToString()),
        ("NewEnabled", "1"),
        ("NewPortMappingDescription", "splicer"),
        ("NewLeaseDuration", $"{seconds}"),
    ];

    /// <summary>This host's address on the interface that faces <paramref name="gateway"/> (a connected UDP socket sends nothing).</summary>
    internal static IPAddress LocalAddressToward(IPAddress gateway)
    {
        using var probe = new Socket(gateway.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            probe.Connect(new IPEndPoint(gateway, SsdpSearch.MulticastGroup.Port));
        }
        catch (SocketException error)
        {
            throw new PortMappingException($"no route to the gateway {gateway}: {error.SocketErrorCode}");
        }

        return ((IPEndPoint)probe.LocalEndPoint!).Address;
    }
}
