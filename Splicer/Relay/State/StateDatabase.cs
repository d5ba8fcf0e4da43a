using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Splicer.State;

/// <summary>
/// The one SQLite file under the state directory. Opening it sets WAL mode and brings the schema up to
/// date (<see cref="StateMigrations"/>). Every write goes through one writer connection, one
/// transaction at a time, with <c>synchronous=FULL</c>: a write whose task has completed is in the
/// write-ahead log on disk, so it survives kill -9 and a power cut alike (NORMAL would survive kill -9
/// too, since the page cache outlives the process, but not a power cut; the writes here are an owner's
/// actions and batched usage, few enough that the fsync costs nothing). Reads use their own pooled
/// read-only connections and never wait for the writer.
/// </summary>
public sealed class StateDatabase : IAsyncDisposable
{
    public const string FileName = "splicer.db";

    private readonly StateDirectory _directory;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly string _readConnectionString;
    private readonly string _writeConnectionString;
    private Task<SqliteConnection>? _opening;
    private bool _disposed;

    public StateDatabase(StateDirectory directory, ILogger<StateDatabase>? logger = null)
    {
        _directory = directory;
        _logger = logger ?? NullLogger<StateDatabase>.Instance;
        FilePath = directory.PathOf(FileName);
        _writeConnectionString = ConnectionString(SqliteOpenMode.ReadWriteCreate, pooling: false);
        _readConnectionString = ConnectionString(SqliteOpenMode.ReadOnly, pooling: true);
    }

    public string FilePath { get; }

    /// <summary>Opens the file and runs the migrations it lacks; later calls return at once.</summary>
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        await WriterAsync(cancellationToken);
    }

    /// <summary>The schema version the file is at (<c>PRAGMA user_version</c>).</summary>
    public Task<int> SchemaVersionAsync(CancellationToken cancellationToken) =>
        ReadAsync(async (connection, token) => await UserVersionAsync(connection, token), cancellationToken);

    /// <summary>Runs <paramref name="read"/> on a read-only connection of its own.</summary>
    internal async Task<T> ReadAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        await WriterAsync(cancellationToken);
        await using var connection = new SqliteConnection(_readConnectionString);
        await connection.OpenAsync(cancellationToken);
        return await read(connection, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="write"/> in a transaction on the single writer connection and commits it;
    /// when the returned task completes, the write is durable. A throw rolls everything back.
    /// </summary>
    internal async Task<T> WriteAsync<T>(Func<SqliteTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        var connection = await WriterAsync(cancellationToken);
        await _writer.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            var result = await write(transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        finally
        {
            _writer.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_opening is { IsCompletedSuccessfully: true } opened)
            {
                await opened.Result.DisposeAsync();
            }

            // Pooled readers keep the file open; a reopen (a new process, or a test) must find it closed.
            SqliteConnection.ClearPool(new SqliteConnection(_readConnectionString));
        }
        finally
        {
            _writer.Release();
        }
    }

    private Task<SqliteConnection> WriterAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var opening = Volatile.Read(ref _opening);
        if (opening is null || opening.IsFaulted || opening.IsCanceled)
        {
            var fresh = OpenWriterAsync(cancellationToken);
            opening = Interlocked.CompareExchange(ref _opening, fresh, opening) == opening ? fresh : _opening!;
        }

        return opening.WaitAsync(cancellationToken);
    }

    private async Task<SqliteConnection> OpenWriterAsync(CancellationToken cancellationToken)
    {
        _directory.EnsureExists();
        var connection = new SqliteConnection(_writeConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await ExecuteAsync(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;", cancellationToken);
            await MigrateAsync(connection, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var version = await UserVersionAsync(connection, cancellationToken);
        if (version > StateMigrations.Latest)
        {
            throw new InvalidOperationException(
                $"The state database {FilePath} is at schema version {version}, newer than this Splicer knows ({StateMigrations.Latest}); run a newer Splicer or restore a backup.");
        }

        foreach (var migration in StateMigrations.All.Where(step => step.Version > version))
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, migration.Sql, cancellationToken, transaction);
            await ExecuteAsync(connection, $"PRAGMA user_version = {migration.Version};", cancellationToken, transaction);
            await transaction.CommitAsync(cancellationToken);
            _logger.LogInformation("State database {Path} migrated to schema version {Version}: {Description}", FilePath, migration.Version, migration.Description);
        }
    }

    private static async Task<int> UserVersionAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken));
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private string ConnectionString(SqliteOpenMode mode, bool pooling) => new SqliteConnectionStringBuilder
    {
        DataSource = FilePath,
        Mode = mode,
        Cache = SqliteCacheMode.Private,
        Pooling = pooling,
        ForeignKeys = mode == SqliteOpenMode.ReadOnly ? null : true,
        DefaultTimeout = 30,
    }.ToString();
}
