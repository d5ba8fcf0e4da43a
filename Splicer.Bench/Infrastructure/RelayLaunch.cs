using System.Net;

namespace Splicer.Bench.Infrastructure;

/// <summary>How to start one relay process and how to tell that it serves.</summary>
/// <param name="ReadyMarker">Output text that means "serving"; null: the port accepting means it.</param>
/// <param name="ForksPerConnection">A process per connection (socat): memory and CPU are summed over the tree.</param>
internal sealed record RelayLaunch(
    string Name,
    string FileName,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IPEndPoint EndPoint,
    string? ReadyMarker = null,
    bool ForksPerConnection = false)
{
    /// <summary>Variables set in the relay's environment (runtime knobs such as <c>DOTNET_GCgen0size</c>).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}
