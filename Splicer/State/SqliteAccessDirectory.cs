using Splicer.Access;

namespace Splicer.State;

/// <summary>The access check's look-ups, answered from the state database.</summary>
public sealed class SqliteAccessDirectory(IdentityStore identities, DoorStore doors) : IAccessDirectory
{
    public async ValueTask<IdentityRecord?> FindIdentityAsync(long identityId, CancellationToken cancellationToken) =>
        await identities.FindAsync(identityId, cancellationToken);

    public async ValueTask<DeviceRecord?> FindDeviceAsync(ReadOnlyMemory<byte> publicKey, CancellationToken cancellationToken) =>
        await identities.FindDeviceAsync(publicKey, cancellationToken);

    public async ValueTask<DoorRecord?> FindDoorAsync(long doorId, CancellationToken cancellationToken) =>
        await doors.FindAsync(doorId, cancellationToken);

    public async ValueTask<bool> IsMemberAsync(long doorId, long identityId, CancellationToken cancellationToken) =>
        await doors.IsMemberAsync(doorId, identityId, cancellationToken);

    public async ValueTask<IReadOnlyList<DoorRecord>> OpenAddressDoorsAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        await doors.OpenAddressDoorsAsync(now, cancellationToken);
}
