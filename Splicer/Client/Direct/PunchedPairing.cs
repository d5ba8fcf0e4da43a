using System.Net;
using Splicer.Client.Links;

namespace Splicer.Client.Direct;

/// <param name="Relay">The link to the relay, paired: every byte on it from now on is the partner's.</param>
/// <param name="Local">The local endpoint of its TCP connection, which the direct dials share.</param>
/// <param name="Advice">The broker's advice; null when the partner did not ask for a direct path.</param>
public sealed record PunchedPairing(RelayLink Relay, IPEndPoint Local, PunchAdvice? Advice);
