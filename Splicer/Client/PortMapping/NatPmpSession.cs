using System.Net;
using System.Net.Sockets;

namespace Splicer.Client.PortMapping;

/// <summary>A TCP mapping through NAT-PMP: the external address asked first, then the port (IPv4 only).</summary>
internal sealed class NatPmpSession(IPEndPoint server, int localPort, TimeSpan timeout) : IMappingSession
{
    private int _externalPort;

    public PortMappingProtocol Protocol => PortMappingProtocol.NatPmp;

    public async Task<PortMappingGrant> MapAsync(TimeSpan lifetime, CancellationToken cancellationToken)
    {
        if (server.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new PortMappingException("NAT-PMP needs an IPv4 gateway");
        }

        using var exchange = new UdpExchange(server, timeout);
        await exchange.ConnectAsync(cancellationToken);
        var external = await exchange.ExchangeAsync(
            NatPmpMessages.WriteExternalAddressRequest(), datagram => NatPmpMessages.ReadExternalAddress(datagram.Span), cancellationToken);
        var seconds = PcpSession.Seconds(lifetime);
        var mapped = await exchange.ExchangeAsync(
            NatPmpMessages.WriteMapTcp(localPort, _externalPort == 0 ? localPort : _externalPort, seconds),
            datagram => NatPmpMessages.ReadMapTcp(datagram.Span, localPort, deleting: false),
            cancellationToken);
        _externalPort = mapped.ExternalPort;
        return new PortMappingGrant(new IPEndPoint(external.Address, _externalPort), TimeSpan.FromSeconds(mapped.LifetimeSeconds));
    }

    public async Task DeleteAsync(CancellationToken cancellationToken)
    {
        using var exchange = new UdpExchange(server, timeout);
        await exchange.ConnectAsync(cancellationToken);
        await exchange.ExchangeAsync(
            NatPmpMessages.WriteMapTcp(localPort, 0, 0), datagram => NatPmpMessages.ReadMapTcp(datagram.Span, localPort, deleting: true), cancellationToken);
    }

    public void Dispose()
    {
    }
}
