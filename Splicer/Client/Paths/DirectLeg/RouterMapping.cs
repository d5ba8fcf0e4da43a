using System.Net;
using Splicer.Client.PortMapping;

namespace Splicer.Client.Paths.DirectLeg;

/// <summary>
/// Port mapping first where the router offers it: before a punched pairing, asks this host's own router (PCP,
/// NAT-PMP, UPnP-IGD) to map the port of the socket to the relay, so the partner can also dial the mapped
/// endpoint. Bounded by <see cref="Budget"/> (a router that answers does so in milliseconds), and not tried from a
/// loopback address, where no router stands between the peers.
/// </summary>
public static class RouterMapping
{
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(1.5);

    /// <summary>How long the router is asked to keep it; the mapping is deleted when the punch attempt ends.</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    public static async Task<PortMapping.PortMapping?> TryAsync(IPEndPoint local, CancellationToken cancellationToken)
    {
        if (IPAddress.IsLoopback(local.Address))
        {
            return null;
        }

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(Budget);
        try
        {
            return await new PortMapper().TryMapAsync(local.Port, Lifetime, budget.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
