using System.Net;
using Splicer.Client.Links;
using Splicer.Client.Paths.DirectLeg;
using Splicer.Client.PortMapping;

namespace Splicer.Client.Paths.RelayLeg;

/// <param name="Relay">The link to the relay, paired: every byte on it from now on is the partner's.</param>
/// <param name="Local">The local endpoint of its TCP connection, which the direct dials share.</param>
/// <param name="Advice">The broker's advice; null when the partner did not ask for a direct path.</param>
/// <param name="Mapping">The router's mapping of <paramref name="Local"/>'s port, held until the punch attempt ends.</param>
public sealed record PunchedPairing(RelayLink Relay, IPEndPoint Local, PunchAdvice? Advice, PortMapping.PortMapping? Mapping = null);
