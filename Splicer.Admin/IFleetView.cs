namespace Splicer.Admin;

/// <summary>The fleet this box belongs to, as its membership knows it; the engine implements it.</summary>
public interface IFleetView
{
    FleetView Fleet();
}

/// <summary><c>GET /api/fleet</c>: whether this box is in a fleet, its name there, and the live nodes.</summary>
public sealed record FleetView(bool Enabled, string? NodeId, IReadOnlyList<FleetNodeView> Nodes);

/// <summary>One live node as its last record says.</summary>
public sealed record FleetNodeView(
    string NodeId, string Address, string Version, int Connections, int Sessions, bool Draining, DateTimeOffset RecordedAt, bool IsThisNode);
