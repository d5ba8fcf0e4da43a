using System.Globalization;
using System.Net;

namespace Splicer.Client.Direct;

/// <summary>
/// What the relay's broker says in the <c>paired peer=ENDPOINT[,ENDPOINT…] wait=MS</c> line (README, "Direct paths"):
/// where the partner can be dialled, and how long to wait first so that both SYNs leave together.
/// </summary>
public sealed record PunchAdvice(IReadOnlyList<IPEndPoint> Peer, TimeSpan Wait, string? Ticket = null)
{
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
        return new PunchAdvice(endpoints, TimeSpan.FromMilliseconds(Math.Min(milliseconds, MaxWait.TotalMilliseconds)), ticket);
    }

    /// <summary>A relay cannot make a side wait longer than this (round trips longer than 10 s are not a path worth punching).</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(5);
}
