using Microsoft.Data.Sqlite;
using Splicer.Governance;

namespace Splicer.State;

/// <summary>The four quota columns that identities and doors both have (migration 3), read and written alike.</summary>
internal static class QuotaColumns
{
    public const string Names = "quota_bytes_per_day, quota_bytes_per_month, quota_sessions, quota_bytes_per_second";

    public const string Assignments =
        "quota_bytes_per_day = $quotaDay, quota_bytes_per_month = $quotaMonth, quota_sessions = $quotaSessions, quota_bytes_per_second = $quotaRate";

    public static Quota Read(SqliteDataReader row, int first)
    {
        var quota = new Quota(
            row.OptionalInt64At(first),
            row.OptionalInt64At(first + 1),
            row.OptionalInt64At(first + 2) is { } sessions ? (int)sessions : null,
            row.OptionalInt64At(first + 3));
        return quota.IsNone ? Quota.None : quota;
    }

    public static (string Name, object? Value)[] Parameters(Quota quota) =>
    [
        ("$quotaDay", quota.BytesPerDay), ("$quotaMonth", quota.BytesPerMonth), ("$quotaSessions", quota.Sessions), ("$quotaRate", quota.BytesPerSecond),
    ];

    /// <summary>Sets the quota of one row of <paramref name="table"/>, audited; false when no such row.</summary>
    public static async Task<bool> SetAsync(
        SqliteTransaction transaction, string table, long id, Quota quota, DateTimeOffset now, string actor, string action, string subject, CancellationToken cancellationToken)
    {
        var changed = await transaction.Command($"UPDATE {table} SET {Assignments} WHERE id = $id", [("$id", id), .. Parameters(quota)])
            .ExecuteAsync(cancellationToken) > 0;
        if (changed)
        {
            await AuditLog.AppendAsync(transaction, now, actor, action, $"{subject}: {quota}", cancellationToken);
        }

        return changed;
    }
}
