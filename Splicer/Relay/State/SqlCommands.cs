using Microsoft.Data.Sqlite;

namespace Splicer.State;

/// <summary>The few helpers every store uses: parameterised commands and the on-disk time format.</summary>
internal static class SqlCommands
{
    public static SqliteCommand Command(this SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters) =>
        Build(connection.CreateCommand(), null, sql, parameters);

    public static SqliteCommand Command(this SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters) =>
        Build(transaction.Connection!.CreateCommand(), transaction, sql, parameters);

    public static async Task<List<T>> ListAsync<T>(this SqliteCommand command, Func<SqliteDataReader, T> map, CancellationToken cancellationToken)
    {
        await using (command)
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(map(reader));
            }

            return rows;
        }
    }

    public static async Task<T?> SingleOrDefaultAsync<T>(this SqliteCommand command, Func<SqliteDataReader, T> map, CancellationToken cancellationToken)
        where T : class => (await command.ListAsync(map, cancellationToken)).SingleOrDefault();

    public static async Task<int> ExecuteAsync(this SqliteCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public static async Task<long> ScalarAsync(this SqliteCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        {
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken));
        }
    }

    /// <summary>A list of ids as a JSON array, for <c>IN (SELECT value FROM json_each($ids))</c>: one parameter, however many ids.</summary>
    public static string JsonArray(IEnumerable<long> ids) => "[" + string.Join(',', ids) + "]";

    /// <summary>Times are stored as Unix milliseconds (UTC).</summary>
    public static long ToStored(this DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static long? ToStored(this DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();

    public static DateTimeOffset TimeAt(this SqliteDataReader reader, int ordinal) =>
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    public static DateTimeOffset? OptionalTimeAt(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.TimeAt(ordinal);

    public static long? OptionalInt64At(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static string? OptionalStringAt(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static SqliteCommand Build(SqliteCommand command, SqliteTransaction? transaction, string sql, (string Name, object? Value)[] parameters)
    {
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
