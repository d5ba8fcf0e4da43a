using System.Globalization;
using System.Net;
using Splicer.Handshake;

namespace Splicer.Client.Paths.DirectLeg;

/// <summary>
/// What the relay's broker says in the <c>paired peer=ENDPOINT[,ENDPOINT…] wait=MS report=TICKET nat=CLASS
/// peer-nat=CLASS</c> line (docs/protocols.md, "Direct paths"): where the partner can be dialled (first the endpoint the relay
/// sees), how long to wait first so that both SYNs leave together, and what each side's NAT does to ports.
/// </summary>
public sealed record PunchAdvice(
    IReadOnlyList<IPEndPoint> Peer, TimeSpan Wait, string? Ticket = null, NatBehaviour Nat = NatBehaviour.Unknown, NatBehaviour PeerNat = NatBehaviour.Unknown)
{
    /// <summary>
    /// This side's part in birthday probing, which only one port-changing NAT facing one that keeps ports calls for:
    /// the port-changing side sprays, the other probes (<see cref="BirthdayProbing"/>).
    /// </summary>
    public BirthdayRole Birthday => (Nat, PeerNat) switch
    {
        (NatBehaviour.PortChanging, var partner) when partner.KeepsPort() => BirthdayRole.Spray,
        (var own, NatBehaviour.PortChanging) when own.KeepsPort() => BirthdayRole.Probe,
        _ => BirthdayRole.None,
    };

    /// <summary>The advice in a <c>paired</c> line; null for a plain <c>paired</c> (the partner did not ask) or one that cannot be read.</summary>
    public static PunchAdvice? FromPairedLine(string line)
    {
        var fields = line.Split(' ');
        if (fields is not ["paired", .. var rest])
        {
            return null;
        }

        var named = rest.Select(field => field.Split('=', 2)).Where(pair => pair.Length == 2).ToDictionary(pair => pair[0], pair => pair[1]);
        if (!named.TryGetValue("peer", out var peer) || !named.TryGetValue("wait", out var wait)
            || !long.TryParse(wait, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return null;
        }

        var endpoints = new List<IPEndPoint>();
        foreach (var text in peer.Split(','))
        {
            if (!IPEndPoint.TryParse(text, out var endpoint) || endpoint.Port == 0)
            {
                return null;
            }

            endpoints.Add(endpoint);
        }

        var ticket = named.TryGetValue("report", out var report) && report.Length == Handshake.PunchReport.TicketLength
            && report.All(char.IsAsciiLetterOrDigit) ? report : null;
        return new PunchAdvice(
            endpoints, TimeSpan.FromMilliseconds(Math.Min(milliseconds, MaxWait.TotalMilliseconds)), ticket,
            NatBehaviours.FromName(named.GetValueOrDefault("nat")), NatBehaviours.FromName(named.GetValueOrDefault("peer-nat")));
    }

    /// <summary>A relay cannot make a side wait longer than this (round trips longer than 10 s are not a path worth punching).</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(5);
}
