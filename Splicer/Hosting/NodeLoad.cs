using Splicer.Accept;
using Splicer.Fleet;
using Splicer.Splice;

namespace Splicer.Hosting;

/// <summary>This node's load for its fleet record, read off the gate and the session registry.</summary>
internal sealed class NodeLoad(ConnectionGate gate, SessionRegistry sessions) : INodeLoad
{
    public int Connections => gate.Open;

    public int Sessions => sessions.Count;

    public bool Draining => sessions.IsDraining;
}
