using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Splicer.Client.PortMapping;

/// <summary>
/// Asks the client's own router for an inbound TCP mapping of a local port: PCP, then NAT-PMP, then UPnP-IGD, each
/// with a short wait, so that a LAN with no such router costs under ~2 s. The first protocol that maps wins.
/// </summary>
public sealed class PortMapper(PortMapperOptions? options = null, ILogger? logger = null)
{
    private readonly PortMapperOptions _options = options ?? new PortMapperOptions();
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>The mapping of <paramref name="localPort"/> (dispose it to delete it), or null when the router gave none.</summary>
    public async Task<PortMapping?> TryMapAsync(int localPort, TimeSpan lifetime, CancellationToken cancellationToken) =>
        (await MapAsync(localPort, lifetime, cancellationToken)).Mapping;

    /// <summary>As <see cref="TryMapAsync"/>, with the reason each protocol failed.</summary>
    public async Task<PortMappingAttempt> MapAsync(int localPort, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(localPort, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(localPort, 65535);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        var gateway = _options.Gateway ?? DefaultGateway.Find();
        if (gateway is null)
        {
            return new PortMappingAttempt(null, [.. _options.Protocols.Select(protocol => new PortMappingFailure(protocol, "this host has no default route (no router to ask)"))]);
        }

        var failures = new List<PortMappingFailure>();
        foreach (var protocol in _options.Protocols)
        {
            var session = Session(protocol, gateway, localPort);
            try
            {
                var grant = await session.MapAsync(lifetime, cancellationToken);
                _logger.LogInformation(
                    "Port mapping: {Protocol} on {Gateway} mapped {External} to local port {LocalPort} for {Lifetime}s",
                    protocol.Name(), gateway, grant.External, localPort, grant.Lifetime.TotalSeconds);
                return new PortMappingAttempt(new PortMapping(session, localPort, gateway, grant, lifetime, _logger), failures);
            }
            catch (PortMappingException error)
            {
                session.Dispose();
                failures.Add(new PortMappingFailure(protocol, error.Message));
            }
            catch
            {
                session.Dispose();
                throw;
            }
        }

        _logger.LogInformation("Port mapping: the router at {Gateway} gave no mapping ({Failures})", gateway, string.Join("; ", failures));
        return new PortMappingAttempt(null, failures);
    }

    private IMappingSession Session(PortMappingProtocol protocol, IPAddress gateway, int localPort) => protocol switch
    {
        PortMappingProtocol.Pcp => new PcpSession(new IPEndPoint(gateway, _options.ServerPort), localPort, _options.ProtocolTimeout, _logger),
        PortMappingProtocol.NatPmp => new NatPmpSession(new IPEndPoint(gateway, _options.ServerPort), localPort, _options.ProtocolTimeout),
        _ => new UpnpSession(gateway, _options.SsdpTarget, localPort, _options.ProtocolTimeout, _options.UpnpRequestTimeout),
    };
}
