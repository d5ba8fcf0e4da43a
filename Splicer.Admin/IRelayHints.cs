using System.Text.Json.Serialization;
using Splicer.Admin.Hosting;

namespace Splicer.Admin;

/// <summary>The transit relay hint for this relay's listeners, as wormhole-protocol clients take it; the engine implements it.</summary>
public interface IRelayHints
{
    /// <param name="requestHost">The host the admin was asked by, used when no public name is configured.</param>
    RelayHint Hint(string? requestHost);
}

/// <summary>A <c>relay-v1</c> hint: the ways to reach one relay, each a <c>direct-tcp-v1</c> or <c>websocket-v1</c> entry.</summary>
public sealed record RelayHint(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("hints")] IReadOnlyList<RelayEndpointHint> Hints);

/// <summary>One way in: <c>direct-tcp-v1</c> has a host name and port, <c>websocket-v1</c> a URL.</summary>
public sealed record RelayEndpointHint(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("hostname"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Hostname,
    [property: JsonPropertyName("port"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Port,
    [property: JsonPropertyName("url"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Url,
    [property: JsonPropertyName("priority")] double Priority);
