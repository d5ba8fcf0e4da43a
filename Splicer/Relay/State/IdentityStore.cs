using Microsoft.Data.Sqlite;
using Splicer.Governance;
using Splicer.Governance.Entry;

namespace Splicer.State;

/// <summary>Identities and their devices' public keys. When they were last used is written by <see cref="UsageStore"/>, with the usage.</summary>
public sealed class IdentityStore(StateDatabase database, TimeProvider time)
{
    private const string IdentityColumns = "id, name, created_at, disabled_at, last_used_at, " + QuotaColumns.Names;
    private const string DeviceColumns = "id, identity_id, name, public_key, added_at, last_used_at";

    public Task<IdentityRecord> AddAsync(string name, string actor, CancellationToken cancellationToken) =>
        database.WriteAsync(async (transaction, token) =>
        {
            var identity = await InsertAsync(transaction, name, time.GetUtcNow(), token);
            await AuditLog.AppendAsync(transaction, identity.CreatedAt, actor, "identity.add", $"identity {identity.Id} '{name}'", token);
            return identity;
        }, cancellationToken);

    /// <summary>Enrolls a device key for an identity; a key already enrolled anywhere is refused by the schema.</summary>
    public Task<DeviceRecord> AddDeviceAsync(long identityId, ReadOnlyMemory<byte> publicKey, string deviceName, string actor, CancellationToken cancellationToken) =>
        database.WriteAsync(async (transaction, token) =>
        {
            var device = await InsertDeviceAsync(transaction, identityId, deviceName, publicKey, time.GetUtcNow(), token);
            await AuditLog.AppendAsync(transaction, device.AddedAt, actor, "device.add", $"device {device.Id} '{deviceName}' of identity {identityId}", token);
            return device;
        }, cancellationToken);

    public Task<bool> RemoveDeviceAsync(long deviceId, string actor, CancellationToken cancellationToken) =>
        ChangeAsync("DELETE FROM devices WHERE id = $id", deviceId, actor, "device.remove", $"device {deviceId}", cancellationToken);

    /// <summary>Disables the identity: its credentials are refused from now on; it and its devices are kept.</summary>
    public Task<bool> DisableAsync(long identityId, string actor, CancellationToken cancellationToken) =>
        ChangeAsync("UPDATE identities SET disabled_at = $now WHERE id = $id AND disabled_at IS NULL",
            identityId, actor, "identity.disable", $"identity {identityId}", cancellationToken);

    public Task<bool> EnableAsync(long identityId, string actor, CancellationToken cancellationToken) =>
        ChangeAsync("UPDATE identities SET disabled_at = NULL WHERE id = $id AND disabled_at IS NOT NULL",
            identityId, actor, "identity.enable", $"identity {identityId}", cancellationToken);

    /// <summary>Sets what the identity may use (<see cref="Quota.None"/>: no limit); audited. False when it does not exist.</summary>
    public Task<bool> SetQuotaAsync(long identityId, Quota quota, string actor, CancellationToken cancellationToken) =>
        database.WriteAsync((transaction, token) => QuotaColumns.SetAsync(
            transaction, "identities", identityId, quota, time.GetUtcNow(), actor, "identity.quota", $"identity {identityId}", token), cancellationToken);

    /// <summary>Deletes the identity with its devices and door memberships; its id is never given out again.</summary>
    public Task<bool> DeleteAsync(long identityId, string actor, CancellationToken cancellationToken) =>
        ChangeAsync("DELETE FROM identities WHERE id = $id", identityId, actor, "identity.delete", $"identity {identityId}", cancellationToken);

    public Task<IdentityRecord?> FindAsync(long identityId, CancellationToken cancellationToken) =>
        database.ReadAsync((connection, token) => connection.Command(
                $"SELECT {IdentityColumns} FROM identities WHERE id = $id", ("$id", identityId))
            .SingleOrDefaultAsync(ReadIdentity, token), cancellationToken);

    /// <summary>The identities among <paramref name="identityIds"/> that exist, in one query.</summary>
    public Task<List<IdentityRecord>> FindManyAsync(IReadOnlyCollection<long> identityIds, CancellationToken cancellationToken) =>
        database.ReadAsync((connection, token) => connection.Command(
                $"SELECT {IdentityColumns} FROM identities WHERE id IN (SELECT value FROM json_each($ids))", ("$ids", SqlCommands.JsonArray(identityIds)))
            .ListAsync(ReadIdentity, token), cancellationToken);

    public Task<List<IdentityRecord>> ListAsync(CancellationToken cancellationToken) =>
        database.ReadAsync((connection, token) => connection.Command(
                $"SELECT {IdentityColumns} FROM identities ORDER BY id")
            .ListAsync(ReadIdentity, token), cancellationToken);

    public Task<List<DeviceRecord>> DevicesAsync(long identityId, CancellationToken cancellationToken) =>
        database.ReadAsync((connection, token) => connection.Command(
                $"SELECT {DeviceColumns} FROM devices WHERE identity_id = $id ORDER BY id", ("$id", identityId))
            .ListAsync(ReadDevice, token), cancellationToken);

    public Task<DeviceRecord?> FindDeviceAsync(ReadOnlyMemory<byte> publicKey, CancellationToken cancellationToken) =>
        database.ReadAsync((connection, token) => connection.Command(
                $"SELECT {DeviceColumns} FROM devices WHERE public_key = $key", ("$key", publicKey.ToArray()))
            .SingleOrDefaultAsync(ReadDevice, token), cancellationToken);

    internal static async Task<IdentityRecord> InsertAsync(SqliteTransaction transaction, string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = await transaction.Command(
                "INSERT INTO identities (name, created_at) VALUES ($name, $now) RETURNING id", ("$name", name), ("$now", now.ToStored()))
            .ScalarAsync(cancellationToken);
        return new IdentityRecord(id, name, DateTimeOffset.FromUnixTimeMilliseconds(now.ToStored()), null, null);
    }

    internal static async Task<DeviceRecord> InsertDeviceAsync(
        SqliteTransaction transaction, long identityId, string name, ReadOnlyMemory<byte> publicKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = publicKey.ToArray();
        var id = await transaction.Command(
                "INSERT INTO devices (identity_id, name, public_key, added_at) VALUES ($identity, $name, $key, $now) RETURNING id",
                ("$identity", identityId), ("$name", name), ("$key", key), ("$now", now.ToStored()))
            .ScalarAsync(cancellationToken);
        return new DeviceRecord(id, identityId, name, key, DateTimeOffset.FromUnixTimeMilliseconds(now.ToStored()), null);
    }

    private Task<bool> ChangeAsync(string sql, long id, string actor, string action, string detail, CancellationToken cancellationToken) =>
        database.WriteAsync(async (transaction, token) =>
        {
            var now = time.GetUtcNow();
            var changed = await transaction.Command(sql, ("$id", id), ("$now", now.ToStored())).ExecuteAsync(token) > 0;
            if (changed)
            {
                await AuditLog.AppendAsync(transaction, now, actor, action, detail, token);
            }

            return changed;
        }, cancellationToken);

    internal static IdentityRecord ReadIdentity(SqliteDataReader row) =>
        new(row.GetInt64(0), row.GetString(1), row.TimeAt(2), row.OptionalTimeAt(3), row.OptionalTimeAt(4)) { Quota = QuotaColumns.Read(row, 5) };

    internal static DeviceRecord ReadDevice(SqliteDataReader row) =>
        new(row.GetInt64(0), row.GetInt64(1), row.GetString(2), (byte[])row.GetValue(3), row.TimeAt(4), row.OptionalTimeAt(5));
}
