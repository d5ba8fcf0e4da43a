using Splicer.Governance;
using Splicer.Governance.Entry;

namespace Splicer.State;

/// <summary>The access check's look-ups, and the watcher's, answered from the state database.</summary>
public sealed class SqliteAccessDirectory(IdentityStore identities, DoorStore doors, AuditLog audit) : IAccessDirectory, IAccessChanges
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

    public async ValueTask<long> LastChangeAsync(CancellationToken cancellationToken) =>
        await audit.LastIdAsync(cancellationToken);

    public async ValueTask<IReadOnlyList<DoorRecord>> FindDoorsAsync(IReadOnlyCollection<long> doorIds, CancellationToken cancellationToken) =>
        await doors.FindManyAsync(doorIds, cancellationToken);

    public async ValueTask<IReadOnlyList<IdentityRecord>> FindIdentitiesAsync(IReadOnlyCollection<long> identityIds, CancellationToken cancellationToken) =>
        await identities.FindManyAsync(identityIds, cancellationToken);
}
