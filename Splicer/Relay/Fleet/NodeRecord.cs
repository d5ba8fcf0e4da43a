using System.Text.Json.Serialization;

namespace Splicer.Fleet;

/// <summary>What a node says of itself in the members' bucket, refreshed every second.</summary>
public sealed record NodeRecord(
    string NodeId,
    string Address,
    string Version,
    int Connections,
    int Sessions,
    bool Draining,
    DateTimeOffset At);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(NodeRecord))]
internal sealed partial class FleetJson : JsonSerializerContext;
