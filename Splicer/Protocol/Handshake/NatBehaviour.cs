using System.Net;

namespace Splicer.Handshake;

/// <summary>
/// What one side's network did to its connection to the relay, told by comparing the endpoint the relay sees with
/// the local ones the client announced: a bounded label for the metrics, and a word of the broker's <c>paired</c>
/// line (<c>nat=</c>, <c>peer-nat=</c>), from which two clients decide whether to try birthday probing.
/// </summary>
public enum NatBehaviour
{
    /// <summary>The client announced nothing to compare with.</summary>
    Unknown,

    /// <summary>The relay sees one of the client's own addresses: no address translation on the way.</summary>
    None,

    /// <summary>Translated, and the port kept: the kind of NAT that simultaneous open usually gets through.</summary>
    PortPreserving,

    /// <summary>Translated to another port: a direct path works only if the NAT maps endpoint-independently.</summary>
    PortChanging,
}

public static class NatBehaviours
{
    public static NatBehaviour Classify(IPEndPoint observed, IReadOnlyList<IPEndPoint> announced)
    {
        if (announced.Count == 0)
        {
            return NatBehaviour.Unknown;
        }

        if (announced.Any(local => local.Address.Equals(observed.Address)))
        {
            return NatBehaviour.None;
        }

        return announced.Any(local => local.Port == observed.Port) ? NatBehaviour.PortPreserving : NatBehaviour.PortChanging;
    }

    public static string Name(this NatBehaviour behaviour) => behaviour switch
    {
        NatBehaviour.None => "none",
        NatBehaviour.PortPreserving => "port_preserving",
        NatBehaviour.PortChanging => "port_changing",
        _ => "unknown",
    };

    /// <summary>The behaviour a <see cref="Name"/> stands for; <see cref="NatBehaviour.Unknown"/> for anything else.</summary>
    public static NatBehaviour FromName(string? name) =>
        Enum.GetValues<NatBehaviour>().FirstOrDefault(behaviour => behaviour.Name() == name, NatBehaviour.Unknown);

    /// <summary>Keeps the port toward every destination (or translates nothing): its one endpoint the relay saw is dialable.</summary>
    public static bool KeepsPort(this NatBehaviour behaviour) => behaviour is NatBehaviour.None or NatBehaviour.PortPreserving;
}
