using System.Collections.Concurrent;
using System.Diagnostics;
using Splicer.Governance;
using Splicer.Governance.Entry;

namespace Splicer.State;

/// <summary>
/// The access check's look-ups, remembered between handshakes so that pairing does not cost four
/// database reads. Whatever is remembered is dropped when the store's change mark (the audit log's
/// last entry, written with every change) moves, which is read at most every
/// <see cref="MarkCheckInterval"/>, and in any case after <see cref="MaxAge"/>. A door with a
/// session or byte limit is always read afresh, since its counts change without an audit entry. A door closed or an identity
/// disabled is so refused to new handshakes within a tenth of a second; live sessions are cut by the
/// watcher from the store itself.
/// </summary>
public sealed class CachedAccessDirectory(SqliteAccessDirectory store) : IAccessDirectory
{
    public static readonly TimeSpan MarkCheckInterval = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _markRead = new(1, 1);
    private Snapshot _snapshot = new(long.MinValue);

    public async ValueTask<IdentityRecord?> FindIdentityAsync(long identityId, CancellationToken cancellationToken)
    {
        var snapshot = await CurrentAsync(cancellationToken);
        if (snapshot.Identities.TryGetValue(identityId, out var identity))
        {
            return identity;
        }

        return snapshot.Identities[identityId] = await store.FindIdentityAsync(identityId, cancellationToken);
    }

    public async ValueTask<DeviceRecord?> FindDeviceAsync(ReadOnlyMemory<byte> publicKey, CancellationToken cancellationToken)
    {
        var snapshot = await CurrentAsync(cancellationToken);
        var key = Convert.ToBase64String(publicKey.Span);
        if (snapshot.Devices.TryGetValue(key, out var device))
        {
            return device;
        }

        return snapshot.Devices[key] = await store.FindDeviceAsync(publicKey, cancellationToken);
    }

    public async ValueTask<DoorRecord?> FindDoorAsync(long doorId, CancellationToken cancellationToken)
    {
        var snapshot = await CurrentAsync(cancellationToken);
        if (snapshot.Doors.TryGetValue(doorId, out var door))
        {
            return door;
        }

        door = await store.FindDoorAsync(doorId, cancellationToken);
        if (door is not { MaxSessions: not null } and not { MaxBytes: not null })
        {
            // A door that counts its sessions or bytes is read afresh: those counts move without an audit entry.
            snapshot.Doors[doorId] = door;
        }

        return door;
    }

    public async ValueTask<bool> IsMemberAsync(long doorId, long identityId, CancellationToken cancellationToken)
    {
        var snapshot = await CurrentAsync(cancellationToken);
        if (snapshot.Members.TryGetValue((doorId, identityId), out var isMember))
        {
            return isMember;
        }

        return snapshot.Members[(doorId, identityId)] = await store.IsMemberAsync(doorId, identityId, cancellationToken);
    }

    /// <summary>The doors open when they were read, less those that have expired since.</summary>
    public async ValueTask<IReadOnlyList<DoorRecord>> OpenAddressDoorsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var snapshot = await CurrentAsync(cancellationToken);
        var doors = snapshot.AddressDoors ??= await store.OpenAddressDoorsAsync(now, cancellationToken);
        return doors.All(door => door.ExpiresAt > now) ? doors : doors.Where(door => door.ExpiresAt > now).ToArray();
    }

    private async ValueTask<Snapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot.IsFresh)
        {
            return snapshot;
        }

        // One reader of the mark at a time; the others take what it found.
        await _markRead.WaitAsync(cancellationToken);
        try
        {
            snapshot = _snapshot;
            if (snapshot.IsFresh)
            {
                return snapshot;
            }

            var mark = await store.LastChangeAsync(cancellationToken);
            if (mark == snapshot.Mark && Stopwatch.GetElapsedTime(snapshot.TakenAt) < MaxAge)
            {
                snapshot.Confirmed();
                return snapshot;
            }

            Volatile.Write(ref _snapshot, snapshot = new Snapshot(mark));
            return snapshot;
        }
        finally
        {
            _markRead.Release();
        }
    }

    private sealed class Snapshot(long mark)
    {
        private long _checkedAt = Stopwatch.GetTimestamp();

        public long Mark { get; } = mark;

        public long TakenAt { get; } = Stopwatch.GetTimestamp();

        public bool IsFresh => Stopwatch.GetElapsedTime(Volatile.Read(ref _checkedAt)) < MarkCheckInterval
                               && Stopwatch.GetElapsedTime(TakenAt) < MaxAge;

        public ConcurrentDictionary<long, IdentityRecord?> Identities { get; } = new();

        public ConcurrentDictionary<string, DeviceRecord?> Devices { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<long, DoorRecord?> Doors { get; } = new();

        public ConcurrentDictionary<(long DoorId, long IdentityId), bool> Members { get; } = new();

        public IReadOnlyList<DoorRecord>? AddressDoors { get; set; }

        public void Confirmed() => Volatile.Write(ref _checkedAt, Stopwatch.GetTimestamp());
    }
}
