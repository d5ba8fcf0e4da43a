namespace Splicer.Fleet;

/// <summary>This node's load as its record reports it; the composition reads it off the accept and splice stages.</summary>
public interface INodeLoad
{
    int Connections { get; }

    int Sessions { get; }

    bool Draining { get; }
}
