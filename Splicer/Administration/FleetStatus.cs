using Microsoft.Extensions.Options;
using Splicer.Admin;
using Splicer.Fleet;

namespace Splicer.Administration;

/// <summary>The engine's side of <see cref="IFleetView"/>: the live members as this node's membership knows them.</summary>
internal sealed class FleetStatus(IOptions<FleetOptions> options, FleetMembers members) : IFleetView
{
    public FleetView Fleet()
    {
        var fleet = options.Value;
        if (!fleet.Enabled)
        {
            return new FleetView(false, null, []);
        }

        var nodes = members.Live(fleet.RecordLifetime)
            .Select(node => new FleetNodeView(
                node.NodeId, node.Address, node.Version, node.Connections, node.Sessions, node.Draining, node.At, node.NodeId == fleet.NodeId))
            .ToList();
        return new FleetView(true, fleet.NodeId, nodes);
    }
}
