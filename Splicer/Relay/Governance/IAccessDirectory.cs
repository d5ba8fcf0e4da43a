using System.Net;
using Splicer.Governance.Entry;

namespace Splicer.Governance;

/// <summary>
/// What the access check needs to look up. Declared here, implemented by the state store
/// (<c>Splicer.State.SqliteAccessDirectory</c>), and by a dictionary in tests.
/// </summary>
public interface IAccessDirectory
{
    ValueTask<IdentityRecord?> FindIdentityAsync(long identityId, CancellationToken cancellationToken);

    /// <summary>The device with this public key, whoever it belongs to.</summary>
    ValueTask<DeviceRecord?> FindDeviceAsync(ReadOnlyMemory<byte> publicKey, CancellationToken cancellationToken);

    ValueTask<DoorRecord?> FindDoorAsync(long doorId, CancellationToken cancellationToken);

    ValueTask<bool> IsMemberAsync(long doorId, long identityId, CancellationToken cancellationToken);

    /// <summary>Address doors neither closed nor expired at <paramref name="now"/>.</summary>
    ValueTask<IReadOnlyList<DoorRecord>> OpenAddressDoorsAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
