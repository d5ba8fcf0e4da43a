using Microsoft.Data.Sqlite;

namespace Splicer.State;

/// <summary>One change, as the audit log keeps it.</summary>
/// <param name="Actor">Who: the admin user, <c>cli</c>, <c>system</c> (expiry), or the identity that redeemed an invite.</param>
/// <param name="Action">What, as a short dotted word such as <c>door.close</c>.</param>
/// <param name="Detail">The particulars, for people; never a secret.</param>
public sealed record AuditEntry(long Id, DateTimeOffset At, string Actor, string Action, string Detail);

/// <summary>
/// The append-only audit log. The stores append their own entry inside the transaction that makes the
/// change, so a change and its entry are kept or lost together.
/// </summary>
public sealed class AuditLog(StateDatabase database, TimeProvider time)
{
    /// <summary>Records something that is not a store change (a sign-in, a key rotation).</summary>
    public Task<AuditEntry> AppendAsync(string actor, string action, string detail, CancellationToken cancellationToken) =>
        database.WriteAsync((transaction, token) => AppendAsync(transaction, time.GetUtcNow(), actor, action, detail, token), cancellationToken);

    /// <summary>The newest entries first, <paramref name="limit"/> at most, older than <paramref name="beforeId"/> when given.</summary>
    public Task<List<AuditEntry>> ListAsync(int limit, long? beforeId, CancellationToken cancellationToken) =>
        database.ReadAsync((connection, token) => connection.Command(
                "SELECT id, at, actor, action, detail FROM audit_log WHERE id < $before ORDER BY id DESC LIMIT $limit",
                ("$before", beforeId ?? long.MaxValue), ("$limit", limit))
            .ListAsync(Read, token), cancellationToken);

    /// <summary>The id of the newest entry, or 0: it grows with every change the stores make.</summary>
    public Task<long> LastIdAsync(CancellationToken cancellationToken) =>
        database.ReadAsync((connection, token) => connection.Command("SELECT coalesce(max(id), 0) FROM audit_log").ScalarAsync(token), cancellationToken);

    internal static async Task<AuditEntry> AppendAsync(
        SqliteTransaction transaction, DateTimeOffset at, string actor, string action, string detail, CancellationToken cancellationToken)
    {
        var id = await transaction.Command(
                "INSERT INTO audit_log (at, actor, action, detail) VALUES ($at, $actor, $action, $detail) RETURNING id",
                ("$at", at.ToStored()), ("$actor", actor), ("$action", action), ("$detail", detail))
            .ScalarAsync(cancellationToken);
        return new AuditEntry(id, at, actor, action, detail);
    }

    private static AuditEntry Read(SqliteDataReader row) =>
        new(row.GetInt64(0), row.TimeAt(1), row.GetString(2), row.GetString(3), row.GetString(4));
}
