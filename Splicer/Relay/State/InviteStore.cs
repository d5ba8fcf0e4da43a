using Microsoft.Data.Sqlite;
using Splicer.Endings;
using Splicer.Governance;
using Splicer.Governance.Entry;

namespace Splicer.State;

/// <summary>Invites to doors. The secret is never stored, only its SHA-256 (see <see cref="InviteCode"/>).</summary>
public sealed class InviteStore(StateDatabase database, TimeProvider time) : IInviteRedeemer
{
    private const string Columns = "id, door_id, uses_allowed, uses_made, created_at, expires_at";

    public Task<InviteRecord> CreateAsync(
        long doorId, ReadOnlyMemory<byte> secretHash, int usesAllowed, DateTimeOffset expiresAt, string actor, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(usesAllowed, 1);
        return database.WriteAsync(async (transaction, token) =>
        {
            var now = time.GetUtcNow();
            var id = await transaction.Command("""
                    INSERT INTO invites (door_id, secret_hash, uses_allowed, created_at, expires_at)
                    VALUES ($door, $hash, $uses, $now, $expires)
                    RETURNING id
                    """,
                    ("$door", doorId), ("$hash", secretHash.ToArray()), ("$uses", usesAllowed),
                    ("$now", now.ToStored()), ("$expires", expiresAt.ToStored()))
                .ScalarAsync(token);
            await AuditLog.AppendAsync(transaction, now, actor, "invite.create",
                $"invite {id} to door {doorId}, {usesAllowed} use(s), until {expiresAt:O}", token);
            return (await FindAsync(transaction, id, token))!;
        }, cancellationToken);
    }

    /// <summary>
    /// Redeems the invite whose secret hashes to <paramref name="secretHash"/>: in one transaction, checks
    /// it and its door, counts the use, creates the identity and its device, and makes it a member of
    /// the door. Two redemptions racing for a single-use invite: one wins, the other gets <c>invite_used</c>.
    /// </summary>
    public Task<InviteRedemption> RedeemAsync(
        ReadOnlyMemory<byte> secretHash, string name, ReadOnlyMemory<byte> devicePublicKey, CancellationToken cancellationToken) =>
        database.WriteAsync(async (transaction, token) =>
        {
            var now = time.GetUtcNow();
            var invite = await transaction.Command($"SELECT {Columns} FROM invites WHERE secret_hash = $hash", ("$hash", secretHash.ToArray()))
                .SingleOrDefaultAsync(Read, token);
            var door = invite is null ? null : await DoorStore.FindAsync(transaction, invite.DoorId, token);
            if (AccessRules.CheckInvite(invite, door, now) is { } refusal)
            {
                return InviteRedemption.Refused(refusal);
            }

            if (await IsEnrolledAsync(transaction, devicePublicKey, token))
            {
                // A device key belongs to one identity; enrolling it again would make its credentials ambiguous.
                return InviteRedemption.Refused(Refusal.DeviceAlreadyEnrolled);
            }

            await transaction.Command("UPDATE invites SET uses_made = uses_made + 1 WHERE id = $id", ("$id", invite!.Id)).ExecuteAsync(token);
            var identity = await IdentityStore.InsertAsync(transaction, name, now, token);
            var device = await IdentityStore.InsertDeviceAsync(transaction, identity.Id, name, devicePublicKey, now, token);
            await DoorStore.AddMemberAsync(transaction, door!.Id, identity.Id, token);
            await AuditLog.AppendAsync(transaction, now, $"identity {identity.Id}", "invite.redeem",
                $"invite {invite.Id} redeemed: identity {identity.Id} '{name}', device {device.Id}, door {door.Id}", token);
            return new InviteRedemption(null, identity, device, door);
        }, cancellationToken);

    public Task<List<InviteRecord>> ListAsync(long doorId, CancellationToken cancellationToken) =>
        database.ReadAsync((connection, token) => connection.Command(
                $"SELECT {Columns} FROM invites WHERE door_id = $door ORDER BY id", ("$door", doorId))
            .ListAsync(Read, token), cancellationToken);

    private static Task<InviteRecord?> FindAsync(SqliteTransaction transaction, long id, CancellationToken cancellationToken) =>
        transaction.Command($"SELECT {Columns} FROM invites WHERE id = $id", ("$id", id)).SingleOrDefaultAsync(Read, cancellationToken);

    private static async Task<bool> IsEnrolledAsync(SqliteTransaction transaction, ReadOnlyMemory<byte> publicKey, CancellationToken cancellationToken) =>
        await transaction.Command("SELECT count(*) FROM devices WHERE public_key = $key", ("$key", publicKey.ToArray())).ScalarAsync(cancellationToken) > 0;

    private static InviteRecord Read(SqliteDataReader row) =>
        new(row.GetInt64(0), row.GetInt64(1), row.GetInt32(2), row.GetInt32(3), row.TimeAt(4), row.TimeAt(5));
}
