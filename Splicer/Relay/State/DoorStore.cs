using System.Net;
using Microsoft.Data.Sqlite;
using Splicer.Governance;
using Splicer.Governance.Entry;

namespace Splicer.State;

/// <summary>What the owner asks for when opening a door.</summary>
/// <param name="AddressPrefix">For address doors: who may come through (e.g. <c>203.0.113.0/24</c>); null for invite doors.</param>
/// <param name="Members">Identities named on the door; invite redeemers are added as they redeem.</param>
public sealed record DoorRequest(
    DoorKind Kind,
    string Name,
    TimeSpan Duration,
    IPNetwork? AddressPrefix = null,
    long? MaxSessions = null,
    long? MaxBytes = null,
    IReadOnlyCollection<long>? Members = null,
    Quota? Quota = null);

/// <summary>Doors, who may come through them, and what they have let through so far.</summary>
public sealed class DoorStore(StateDatabase database, TimeProvider time) : IDoorAllowance
{
    private const string Columns =
        "id, kind, name, address_prefix, opened_at, expires_at, closed_at, close_reason, max_sessions, max_bytes, sessions_used, bytes_used, "
        + QuotaColumns.Names;

    public Task<DoorRecord> OpenAsync(DoorRequest request, string actor, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(request.Duration, TimeSpan.Zero);
        if ((request.Kind == DoorKind.Address) != (request.AddressPrefix is not null))
        {
            throw new ArgumentException("An address door needs an address prefix, and only an address door has one.", nameof(request));
        }

        return database.WriteAsync(async (transaction, token) =>
        {
            var door = await InsertAsync(transaction, request, time.GetUtcNow(), token);
            foreach (var member in request.Members ?? [])
            {
                await AddMemberAsync(transaction, door.Id, member, token);
            }

            await AuditLog.AppendAsync(transaction, door.OpenedAt, actor, "door.open", Describe(door, request.Members), token);
            return door;
        }, cancellationToken);
    }

    /// <summary>Closes the door with a reason; false when it was already closed or does not exist.</summary>
    public Task<bool> CloseAsync(long doorId, string reason, string actor, CancellationToken cancellationToken) =>
        database.WriteAsync(async (transaction, token) =>
        {
            var now = time.GetUtcNow();
            var closed = await transaction.Command(
                    "UPDATE doors SET closed_at = $now, close_reason = $reason WHERE id = $id AND closed_at IS NULL",
                    ("$id", doorId), ("$now", now.ToStored()), ("$reason", reason))
                .ExecuteAsync(token) > 0;
            if (closed)
            {
                await AuditLog.AppendAsync(transaction, now, actor, "door.close", $"door {doorId}: {reason}", token);
            }

            return closed;
        }, cancellationToken);

    /// <summary>Sets what everyone through the door may use together (<see cref="Quota.None"/>: no limit); audited. False when it does not exist.</summary>
    public Task<bool> SetQuotaAsync(long doorId, Quota quota, string actor, CancellationToken cancellationToken) =>
        database.WriteAsync((transaction, token) => QuotaColumns.SetAsync(
            transaction, "doors", doorId, quota, time.GetUtcNow(), actor, "door.quota", $"door {doorId}", token), cancellationToken);

    public Task<bool> AddMemberAsync(long doorId, long identityId, string actor, CancellationToken cancellationToken) =>
        database.WriteAsync(async (transaction, token) =>
        {
            var added = await AddMemberAsync(transaction, doorId, identityId, token);
            if (added)
            {
                await AuditLog.AppendAsync(transaction, time.GetUtcNow(), actor, "door.member.add", $"identity {identityId} on door {doorId}", token);
            }

            return added;
        }, cancellationToken);

    public Task<bool> RemoveMemberAsync(long doorId, long identityId, string actor, CancellationToken cancellationToken) =>
        database.WriteAsync(async (transaction, token) =>
        {
            var removed = await transaction.Command(
                    "DELETE FROM door_members WHERE door_id = $door AND identity_id = $identity", ("$door", doorId), ("$identity", identityId))
                .ExecuteAsync(token) > 0;
            if (removed)
            {
                await AuditLog.AppendAsync(transaction, time.GetUtcNow(), actor, "door.member.remove", $"identity {identityId} from door {doorId}", token);
            }

            return removed;
        }, cancellationToken);

    /// <summary>
    /// Counts one more session through the door if its allowance has room; false when it has none.
    /// Atomic, so two handshakes racing for the last session cannot both get it.
    /// </summary>
    public Task<bool> TryTakeSessionAsync(long doorId, CancellationToken cancellationToken) =>
        database.WriteAsync(async (transaction, token) => await transaction.Command("""
                UPDATE doors SET sessions_used = sessions_used + 1
                WHERE id = $id AND (max_sessions IS NULL OR sessions_used < max_sessions)
                """, ("$id", doorId))
            .ExecuteAsync(token) > 0, cancellationToken);

    /// <summary>Adds relayed bytes to the door's tally (batched by the caller; not audited).</summary>
    public Task AddBytesAsync(long doorId, long bytes, CancellationToken cancellationToken) =>
        database.WriteAsync((transaction, token) => transaction.Command(
                "UPDATE doors SET bytes_used = bytes_used + $bytes WHERE id = $id", ("$id", doorId), ("$bytes", bytes))
            .ExecuteAsync(token), cancellationToken);

    public Task<DoorRecord?> FindAsync(long doorId, CancellationToken cancellationToken) =>
        database.ReadAsync((connection, token) => connection.Command(
                $"SELECT {Columns} FROM doors WHERE id = $id", ("$id", doorId))
            .SingleOrDefaultAsync(Read, token), cancellationToken);

    /// <summary>The doors among <paramref name="doorIds"/> that exist, in one query.</summary>
    public Task<List<DoorRecord>> FindManyAsync(IReadOnlyCollection<long> doorIds, CancellationToken cancellationToken) =>
        database.ReadAsync((connection, token) => connection.Command(
                $"SELECT {Columns} FROM doors WHERE id IN (SELECT value FROM json_each($ids))", ("$ids", SqlCommands.JsonArray(doorIds)))
            .ListAsync(Read, token), cancellationToken);

    /// <summary>Doors still open at <paramref name="now"/>, or all doors with <paramref name="includeShut"/>, newest first.</summary>
    public Task<List<DoorRecord>> ListAsync(DateTimeOffset now, bool includeShut, CancellationToken cancellationToken) =>
        database.ReadAsync((connection, token) => connection.Command($"""
                SELECT {Columns} FROM doors
                WHERE $all OR (closed_at IS NULL AND expires_at > $now)
                ORDER BY id DESC
                """, ("$all", includeShut), ("$now", now.ToStored()))
            .ListAsync(Read, token), cancellationToken);

    public Task<List<DoorRecord>> OpenAddressDoorsAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        database.ReadAsync((connection, token) => connection.Command($"""
                SELECT {Columns} FROM doors
                WHERE kind = 'address' AND closed_at IS NULL AND expires_at > $now
                ORDER BY id
                """, ("$now", now.ToStored()))
            .ListAsync(Read, token), cancellationToken);

    public Task<bool> IsMemberAsync(long doorId, long identityId, CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, token) => await connection.Command(
                "SELECT count(*) FROM door_members WHERE door_id = $door AND identity_id = $identity", ("$door", doorId), ("$identity", identityId))
            .ScalarAsync(token) > 0, cancellationToken);

    public Task<List<long>> MembersAsync(long doorId, CancellationToken cancellationToken) =>
        database.ReadAsync((connection, token) => connection.Command(
                "SELECT identity_id FROM door_members WHERE door_id = $door ORDER BY identity_id", ("$door", doorId))
            .ListAsync(row => row.GetInt64(0), token), cancellationToken);

    internal static async Task<bool> AddMemberAsync(SqliteTransaction transaction, long doorId, long identityId, CancellationToken cancellationToken) =>
        await transaction.Command(
                "INSERT OR IGNORE INTO door_members (door_id, identity_id) VALUES ($door, $identity)", ("$door", doorId), ("$identity", identityId))
            .ExecuteAsync(cancellationToken) > 0;

    internal static Task<DoorRecord?> FindAsync(SqliteTransaction transaction, long doorId, CancellationToken cancellationToken) =>
        transaction.Command($"SELECT {Columns} FROM doors WHERE id = $id", ("$id", doorId)).SingleOrDefaultAsync(Read, cancellationToken);

    private static async Task<DoorRecord> InsertAsync(SqliteTransaction transaction, DoorRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = await transaction.Command($"""
                INSERT INTO doors (kind, name, address_prefix, opened_at, expires_at, max_sessions, max_bytes, {QuotaColumns.Names})
                VALUES ($kind, $name, $prefix, $opened, $expires, $sessions, $bytes, $quotaDay, $quotaMonth, $quotaSessions, $quotaRate)
                RETURNING id
                """,
                [("$kind", KindWord(request.Kind)), ("$name", request.Name), ("$prefix", request.AddressPrefix?.ToString()),
                ("$opened", now.ToStored()), ("$expires", (now + request.Duration).ToStored()),
                ("$sessions", request.MaxSessions), ("$bytes", request.MaxBytes), .. QuotaColumns.Parameters(request.Quota ?? Quota.None)])
            .ScalarAsync(cancellationToken);
        return (await FindAsync(transaction, id, cancellationToken))!;
    }

    private static string Describe(DoorRecord door, IReadOnlyCollection<long>? members)
    {
        var who = door.AddressPrefix is { } prefix ? $"from {prefix}" : $"for identities [{string.Join(", ", members ?? [])}]";
        return $"{KindWord(door.Kind)} door {door.Id} '{door.Name}' {who} until {door.ExpiresAt:O}, "
            + $"sessions {door.MaxSessions?.ToString() ?? "unlimited"}, bytes {door.MaxBytes?.ToString() ?? "unlimited"}"
            + (door.Quota.IsNone ? "" : $", quota {door.Quota}");
    }

    private static string KindWord(DoorKind kind) => kind == DoorKind.Address ? "address" : "invite";

    private static DoorRecord Read(SqliteDataReader row) => new(
        row.GetInt64(0),
        row.GetString(1) == "address" ? DoorKind.Address : DoorKind.Invite,
        row.GetString(2),
        row.OptionalStringAt(3) is { } prefix ? IPNetwork.Parse(prefix) : null,
        row.TimeAt(4),
        row.TimeAt(5),
        row.OptionalTimeAt(6),
        row.OptionalStringAt(7),
        row.OptionalInt64At(8),
        row.OptionalInt64At(9),
        row.GetInt64(10),
        row.GetInt64(11))
    {
        Quota = QuotaColumns.Read(row, 12),
    };
}
