using System.Net;

namespace Splicer.Client.Paths.DirectLeg;

/// <summary>
/// Birthday-style probing, for one NAT that gives every destination a new, unpredictable external port (nft's
/// <c>masquerade fully-random</c>, a "symmetric" NAT) facing one that keeps ports. The spraying side connects to the
/// partner's one endpoint from N local ports, so its NAT holds N mappings on ports nobody can predict; the probing side
/// sends N SYNs from the port the relay saw to random ports of the spraying side's public address. A probe that lands on
/// one of the N mappings is, to that NAT, the reply to the spraying socket's SYN: it passes, meets that socket still
/// connecting, and TCP simultaneous open makes a connection (and a spraying SYN that lands on a probe's mapping does the
/// same the other way). With N of P ports each side, some probe hits with probability 1 − (1 − N/P)^N: 64 % for
/// 256 of Linux's 64 512, 98 % for 512, all but certain for 1024.
/// </summary>
public static class BirthdayProbing
{
    /// <summary>Where a port-changing NAT picks ports for a source port above 1023 (Linux: 1024–65535).</summary>
    public const int LowestPort = 1024;

    /// <summary>The connections to try: from which local endpoint (port 0: any) to which remote one.</summary>
    public static IReadOnlyList<(IPEndPoint Local, IPEndPoint Remote)> Plan(BirthdayRole role, IPEndPoint local, IPEndPoint partnerSeen, int sockets)
    {
        if (partnerSeen.AddressFamily != local.AddressFamily)
        {
            return [];
        }

        return role switch
        {
            BirthdayRole.Spray => [.. Enumerable.Repeat((new IPEndPoint(local.Address, 0), partnerSeen), sockets)],
            // The port the relay saw is left out: the plain punch dials it from the same local port already.
            BirthdayRole.Probe => [.. RandomPorts(sockets, except: partnerSeen.Port).Select(port => (local, new IPEndPoint(partnerSeen.Address, port)))],
            _ => [],
        };
    }

    private static IEnumerable<int> RandomPorts(int count, int except)
    {
        var ports = new HashSet<int> { except };
        while (ports.Count <= Math.Min(count, IPEndPoint.MaxPort - LowestPort))
        {
            ports.Add(Random.Shared.Next(LowestPort, IPEndPoint.MaxPort + 1));
        }

        return ports.Where(port => port != except);
    }
}
