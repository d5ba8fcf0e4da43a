using Splicer.Governance.Entry;

namespace Splicer.Governance;

/// <summary>
/// What a door has let through, as the sessions use it. Declared here, implemented by the state store
/// (<c>Splicer.State.DoorStore</c>).
/// </summary>
public interface IDoorAllowance
{
    /// <summary>Counts one more session through the door if its allowance has room; false when it has none. Atomic.</summary>
    Task<bool> TryTakeSessionAsync(long doorId, CancellationToken cancellationToken);

    /// <summary>Adds relayed bytes to the door's tally.</summary>
    Task AddBytesAsync(long doorId, long bytes, CancellationToken cancellationToken);
}
