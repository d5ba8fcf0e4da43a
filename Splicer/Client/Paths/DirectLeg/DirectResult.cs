using System.Net.Sockets;

namespace Splicer.Client.Paths.DirectLeg;

/// <summary>A proven, agreed direct connection to the peer, or null and why not; and how long it took.</summary>
public sealed record DirectResult(Socket? Socket, string Detail, TimeSpan Elapsed);
