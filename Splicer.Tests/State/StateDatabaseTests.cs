using Microsoft.Data.Sqlite;
using Splicer.Governance;
using Splicer.Governance.Entry;
using Splicer.State;

namespace Splicer.Tests.State;

/// <summary>The state database on a real file: schema, durability settings, and a reopen that sees everything.</summary>
public sealed class StateDatabaseTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly StateFolder _folder = new();

    [Fact]
    public async Task Opening_creates_the_file_in_the_state_directory_at_the_latest_schema_version()
    {
        await using var state = await StateFixture.OpenAsync(_folder);

        Assert.True(File.Exists(Path.Combine(_folder.Path, StateDatabase.FileName)));
        Assert.Equal(StateMigrations.Latest, await state.Database.SchemaVersionAsync(None));
    }

    [Fact]
    public async Task The_state_directory_is_created_owner_only()
    {
        await using var state = await StateFixture.OpenAsync(_folder);

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(StateDirectory.OwnerOnly, File.GetUnixFileMode(_folder.Path));
        }
    }

    [Fact]
    public async Task The_file_is_in_wal_mode_and_writes_are_synchronous_full()
    {
        await using var state = await StateFixture.OpenAsync(_folder);
        await state.Identities.AddAsync("alice", "test", None);

        await using var connection = new SqliteConnection($"Data Source={state.Database.FilePath};Pooling=False");
        await connection.OpenAsync();
        Assert.Equal("wal", await Scalar(connection, "PRAGMA journal_mode;"));
        Assert.True(File.Exists(state.Database.FilePath + "-wal"));
    }

    [Fact]
    public async Task Opening_again_runs_no_migration_twice()
    {
        await using (var first = await StateFixture.OpenAsync(_folder))
        {
            await first.Identities.AddAsync("alice", "test", None);
        }

        await using var second = await StateFixture.OpenAsync(_folder);
        Assert.Equal(StateMigrations.Latest, await second.Database.SchemaVersionAsync(None));
        Assert.Single(await second.Identities.ListAsync(None));
    }

    [Fact]
    public async Task A_database_from_a_newer_splicer_is_refused_with_its_path_and_version()
    {
        await using (var first = await StateFixture.OpenAsync(_folder))
        {
        }

        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_folder.Path, StateDatabase.FileName)};Pooling=False"))
        {
            await connection.OpenAsync();
            await Scalar(connection, $"PRAGMA user_version = {StateMigrations.Latest + 1};");
        }

        await using var state = new StateFixture(_folder, new ManualClock());
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => state.Database.OpenAsync(None));
        Assert.Contains(StateDatabase.FileName, error.Message);
        Assert.Contains($"version {StateMigrations.Latest + 1}", error.Message);
    }

    [Fact]
    public async Task A_reopen_after_dispose_sees_every_acknowledged_write()
    {
        long aliceId, doorId;
        byte[] deviceKey = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
        await using (var state = await StateFixture.OpenAsync(_folder))
        {
            var alice = await state.Identities.AddAsync("alice", "owner", None);
            aliceId = alice.Id;
            await state.Identities.AddDeviceAsync(alice.Id, deviceKey, "laptop", "owner", None);
            var door = await state.Doors.OpenAsync(new DoorRequest(DoorKind.Invite, "for alice", TimeSpan.FromHours(1), MaxSessions: 5, Members: [alice.Id]), "owner", None);
            doorId = door.Id;
            await state.Invites.CreateAsync(door.Id, new byte[32], 1, state.Clock.Now.AddHours(1), "owner", None);
            await state.Identities.DisableAsync(alice.Id, "owner", None);
        }

        // A new database object, as a restarted process would make: no pooled connection survives the dispose.
        await using var reopened = await StateFixture.OpenAsync(_folder);
        var identity = await reopened.Identities.FindAsync(aliceId, None);
        Assert.NotNull(identity);
        Assert.True(identity.IsDisabled);
        Assert.Equal(deviceKey, (await reopened.Identities.DevicesAsync(aliceId, None)).Single().PublicKey.ToArray());
        Assert.Equal(5, (await reopened.Doors.FindAsync(doorId, None))!.MaxSessions);
        Assert.Equal([aliceId], await reopened.Doors.MembersAsync(doorId, None));
        Assert.Single(await reopened.Invites.ListAsync(doorId, None));
        Assert.Equal(
            ["identity.disable", "invite.create", "door.open", "device.add", "identity.add"],
            (await reopened.Audit.ListAsync(10, null, None)).Select(entry => entry.Action));
    }

    [Fact]
    public async Task A_second_opener_sees_acknowledged_writes_while_the_first_never_closed()
    {
        // As after kill -9: the first writer is still open (never checkpointed, never closed) when another opens the file.
        await using var first = await StateFixture.OpenAsync(_folder);
        var alice = await first.Identities.AddAsync("alice", "owner", None);

        await using var second = await StateFixture.OpenAsync(_folder);
        Assert.Equal("alice", (await second.Identities.FindAsync(alice.Id, None))?.Name);
    }

    [Fact]
    public async Task A_write_that_throws_leaves_nothing_behind()
    {
        await using var state = await StateFixture.OpenAsync(_folder);
        var alice = await state.Identities.AddAsync("alice", "owner", None);
        var key = new byte[32];
        await state.Identities.AddDeviceAsync(alice.Id, key, "laptop", "owner", None);

        await Assert.ThrowsAsync<SqliteException>(() => state.Identities.AddDeviceAsync(alice.Id, key, "again", "owner", None));

        Assert.Single(await state.Identities.DevicesAsync(alice.Id, None));
        Assert.Equal(2, (await state.Audit.ListAsync(10, null, None)).Count);
    }

    [Fact]
    public async Task Concurrent_writes_are_serialised_and_none_is_lost()
    {
        await using var state = await StateFixture.OpenAsync(_folder);

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => state.Identities.AddAsync($"person{i}", "owner", None)));

        Assert.Equal(50, (await state.Identities.ListAsync(None)).Count);
    }

    public void Dispose() => _folder.Dispose();

    private static async Task<string?> Scalar(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (await command.ExecuteScalarAsync())?.ToString();
    }
}
