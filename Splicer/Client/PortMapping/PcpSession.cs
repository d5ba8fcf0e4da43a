using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Splicer.Client.PortMapping;

/// <summary>A TCP mapping through PCP's MAP opcode: one nonce for its whole life, so renewals and the delete name the same mapping.</summary>
internal sealed class PcpSession(IPEndPoint server, int localPort, TimeSpan timeout, ILogger logger) : IMappingSession
{
    private readonly byte[] _nonce = RandomNumberGenerator.GetBytes(PcpMessages.NonceLength);
    private readonly PcpEpoch _epoch = new();
    private IPEndPoint? _external;

    public PortMappingProtocol Protocol => PortMappingProtocol.Pcp;

    public async Task<PortMappingGrant> MapAsync(TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var response = await ExchangeAsync(Seconds(lifetime), cancellationToken);
        if (!_epoch.Observe(response.Epoch, Stopwatch.GetTimestamp() / Stopwatch.Frequency))
        {
            logger.LogWarning("Port mapping: the PCP router lost its mappings (its epoch is {Epoch}: a restart); the mapping was made again at {External}", response.Epoch, response.External);
        }

        _external = response.External;
        return new PortMappingGrant(response.External, TimeSpan.FromSeconds(response.LifetimeSeconds));
    }

    public Task DeleteAsync(CancellationToken cancellationToken) => ExchangeAsync(0, cancellationToken);

    private async Task<PcpMapResponse> ExchangeAsync(uint lifetimeSeconds, CancellationToken cancellationToken)
    {
        using var exchange = new UdpExchange(server, timeout);
        await exchange.ConnectAsync(cancellationToken);
        var anyAddress = server.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any;
        var request = new PcpMapRequest(
            _nonce, exchange.LocalAddress, localPort, _external?.Port ?? localPort, _external?.Address ?? anyAddress, lifetimeSeconds);
        return await exchange.ExchangeAsync(PcpMessages.WriteMap(request), datagram => PcpMessages.ReadMap(datagram.Span, request), cancellationToken);
    }

    internal static uint Seconds(TimeSpan lifetime) => (uint)Math.Clamp(Math.Ceiling(lifetime.TotalSeconds), 1, uint.MaxValue);

    public void Dispose()
    {
    }
}
