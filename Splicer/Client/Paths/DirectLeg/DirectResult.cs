using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Splicer.Client.Paths.DirectLeg;

/// <summary>A proven, agreed direct connection to the peer, or null and why not; and how long it took.</summary>
public sealed record DirectResult(Socket? Socket, string Detail, TimeSpan Elapsed);
