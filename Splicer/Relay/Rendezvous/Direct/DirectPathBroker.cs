using System.Net;
using Splicer.Accept;
using Splicer.Handshake;

namespace Splicer.Rendezvous.Direct;

/// <summary>
/// When both sides of a pair asked for it, tells each the endpoints its partner can be dialled on (the one the relay
/// sees, then those the partner announced), how long to wait before dialling, and what each side's NAT does to
/// ports (so a port-changing side and a port-keeping one know to try birthday probing), in its <c>paired</c> line. Both
/// lines leave the relay together; each reaches its side half that side's round trip later, so a side waits half the
/// difference between the slower side's round trip and its own, and both SYNs leave at about the same moment.
/// </summary>
internal sealed class DirectPathBroker(PunchCounters counters, PunchTickets tickets)
{
    /// <summary>The line each side hears when its partner came: <c>ok</c>, <c>paired</c>, or <c>paired peer=… wait=…</c>.</summary>
    public (ReadOnlyMemory<byte> ToA, ReadOnlyMemory<byte> ToB) PairedLines(RelayConnection a, RelayConnection b)
    {
        if (a.PunchCandidates is not { } fromA || b.PunchCandidates is not { } fromB)
        {
            return (Plain(a), Plain(b));
        }

        var observedA = Observed(a);
        var observedB = Observed(b);
        var (waitA, waitB) = Waits(SocketRoundTrip.Of(a.Socket), SocketRoundTrip.Of(b.Socket));
        var (natA, natB) = (NatBehaviours.Classify(observedA, fromA), NatBehaviours.Classify(observedB, fromB));
        counters.CountPair(observedA.AddressFamily, observedB.AddressFamily, natA, natB);
        return (NativeAnswers.PairedWithAdvice(Endpoints(observedB, fromB), waitA, tickets.Issue(natA), natA, natB),
            NativeAnswers.PairedWithAdvice(Endpoints(observedA, fromA), waitB, tickets.Issue(natB), natB, natA));
    }

    /// <summary>Each side's wait: half of how much sooner it hears its line than the slower side; nothing when a round trip is unknown.</summary>
    public static (TimeSpan A, TimeSpan B) Waits(TimeSpan? rttA, TimeSpan? rttB)
    {
        if (rttA is not { } a || rttB is not { } b)
        {
            return (TimeSpan.Zero, TimeSpan.Zero);
        }

        var slowest = a > b ? a : b;
        return ((slowest - a) / 2, (slowest - b) / 2);
    }

    private static ReadOnlyMemory<byte> Plain(RelayConnection side) => side.IsNative ? NativeAnswers.Paired : HandshakeGrammar.Ok;

    /// <summary>A dual-stack listener sees IPv4 clients as <c>::ffff:a.b.c.d</c>; the partner dials them as IPv4.</summary>
    private static IPEndPoint Observed(RelayConnection side) => side.Remote.Address.IsIPv4MappedToIPv6
        ? new IPEndPoint(side.Remote.Address.MapToIPv4(), side.Remote.Port)
        : side.Remote;

    private static IEnumerable<IPEndPoint> Endpoints(IPEndPoint observed, IReadOnlyList<IPEndPoint> announced) =>
        announced.Prepend(observed).Distinct();
}
