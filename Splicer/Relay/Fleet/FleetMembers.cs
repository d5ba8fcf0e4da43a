using System.Collections.Concurrent;

namespace Splicer.Fleet;

/// <summary>
/// The live nodes of the fleet as this node knows them from the members' bucket: a record put is a node
/// that lives; a record deleted (a node that drained) or not refreshed within the record's lifetime is a
/// node that is gone. Read without a lock by whoever needs the live set.
/// </summary>
public sealed class FleetMembers(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Seen> _nodes = new(StringComparer.Ordinal);

    /// <summary>The nodes whose record came within <paramref name="lifetime"/>, this one among them.</summary>
    public IReadOnlyList<NodeRecord> Live(TimeSpan lifetime)
    {
        var now = time.GetTimestamp();
        return _nodes.Values.Where(seen => time.GetElapsedTime(seen.At, now) < lifetime).Select(seen => seen.Record).OrderBy(record => record.NodeId, StringComparer.Ordinal).ToList();
    }

    /// <summary>Takes a record from the bucket; true when the node was not known.</summary>
    internal bool Saw(NodeRecord record)
    {
        var isNew = true;
        _nodes.AddOrUpdate(record.NodeId, _ => new Seen(record, time.GetTimestamp()), (_, _) =>
        {
            isNew = false;
            return new Seen(record, time.GetTimestamp());
        });
        return isNew;
    }

    /// <summary>A node deleted its record; true when it was known.</summary>
    internal bool Left(string nodeId) => _nodes.TryRemove(nodeId, out _);

    /// <summary>Forgets the nodes not heard from within <paramref name="lifetime"/>, and names them.</summary>
    internal IReadOnlyList<string> ForgetSilent(TimeSpan lifetime)
    {
        var now = time.GetTimestamp();
        var silent = _nodes.Where(node => time.GetElapsedTime(node.Value.At, now) >= lifetime).Select(node => node.Key).ToList();
        return silent.Where(nodeId => _nodes.TryRemove(nodeId, out _)).ToList();
    }

    private readonly record struct Seen(NodeRecord Record, long At);
}
