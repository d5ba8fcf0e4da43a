using System.Net.Sockets;
using Splicer.Handshake;

namespace Splicer.Rendezvous.Direct;

/// <summary>
/// Direct paths the relay brokered: pairs by address family and sides by what their NAT did. Plain interlocked
/// adds, once per pair; the metrics read them at scrape time.
/// </summary>
public sealed class PunchCounters
{
    /// <summary>
    /// The family the two sides reached the relay over; <c>mixed</c> when one came over IPv4 and the other over IPv6
    /// (neither then has an endpoint the other can dial, so such a pair stays relayed).
    /// </summary>
    public static IReadOnlyList<string> Families => FamilyNames;

    private static readonly string[] FamilyNames = ["ipv4", "ipv6", "mixed"];

    private readonly long[] _pairs = new long[Families.Count];
    private static readonly int NatCount = Enum.GetValues<NatBehaviour>().Length;

    private readonly long[] _sides = new long[NatCount];
    private readonly long[] _results = new long[Enum.GetValues<PunchOutcome>().Length * NatCount];

    public long Pairs(string family) => Interlocked.Read(ref _pairs[IndexOf(family)]);

    public long Sides(NatBehaviour behaviour) => Interlocked.Read(ref _sides[(int)behaviour]);

    /// <summary>Reports of how brokered paths went, by outcome and by what the reporting side's NAT did.</summary>
    public long Results(PunchOutcome outcome, NatBehaviour behaviour) => Interlocked.Read(ref _results[(int)outcome * NatCount + (int)behaviour]);

    public long Results(PunchOutcome outcome) => Enum.GetValues<NatBehaviour>().Sum(behaviour => Results(outcome, behaviour));

    public void CountResult(PunchOutcome outcome, NatBehaviour behaviour) => Interlocked.Increment(ref _results[(int)outcome * NatCount + (int)behaviour]);

    public void CountPair(AddressFamily familyA, AddressFamily familyB, NatBehaviour a, NatBehaviour b)
    {
        Interlocked.Increment(ref _pairs[familyA != familyB ? 2 : familyA == AddressFamily.InterNetworkV6 ? 1 : 0]);
        Interlocked.Increment(ref _sides[(int)a]);
        Interlocked.Increment(ref _sides[(int)b]);
    }

    private static int IndexOf(string family) => Math.Max(0, Array.IndexOf(FamilyNames, family));
}
