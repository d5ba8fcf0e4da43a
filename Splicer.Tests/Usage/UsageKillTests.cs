using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Splicer.State;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Usage;

/// <summary>The built Splicer killed with SIGKILL mid-session, then started again on the same state directory.</summary>
public sealed partial class UsageKillTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("splicer-usage-kill-").FullName;

    [Fact]
    public async Task After_kill_9_the_totals_are_within_one_checkpoint_of_the_truth_and_the_session_is_a_row()
    {
        var database = Path.Combine(_state, StateDatabase.FileName);
        const int checkpointed = 300_000;
        const int afterCheckpoint = 70_000;
        var splicer = Start();
        var port = await PortAsync(splicer);
        using (var pair = await TestClient.PairAsync(new IPEndPoint(IPAddress.Loopback, port)))
        {
            await SendAsync(pair.A, pair.B, checkpointed);
            await Patience.UntilAsync(async () => await BoxBytesAsync(database) == checkpointed, "a checkpoint of the running session");
            await SendAsync(pair.A, pair.B, afterCheckpoint);

            // Disposing kills it with Process.Kill, which is SIGKILL: no drain, no final write. The
            // clients are still connected, so the session is running when it dies.
            await splicer.DisposeAsync();
        }

        var killed = await BoxBytesAsync(database);
        Assert.InRange(killed, checkpointed, checkpointed + afterCheckpoint);

        await using (var again = Start())
        {
            await PortAsync(again);
            await Patience.UntilAsync(async () => await ScalarAsync(database, "SELECT count(*) FROM usage_sessions WHERE outcome = 'interrupted'") == 1,
                "the killed session kept as interrupted");
            Assert.Equal(killed, await ScalarAsync(database, "SELECT bytes_a_to_b + bytes_b_to_a FROM usage_sessions"));
            Assert.Equal(0, await ScalarAsync(database, "SELECT count(*) FROM usage_running"));
            Assert.Equal(killed, await BoxBytesAsync(database));
            await again.WaitForLineAsync(line => line.Contains("Now listening on: http://127.0.0.1:"));
            await again.TerminateAsync();
            var code = await again.WaitForExitAsync();
            Assert.True(code == 0, again.Output);
        }
    }

    public void Dispose() => Directory.Delete(_state, recursive: true);

    private ExternalProcess Start() => SplicerProgram.Start(
    [
        "--Splicer:Port=0", "--Splicer:Address=127.0.0.1", "--Admin:Url=http://127.0.0.1:0",
        $"--Splicer:StateDirectory={_state}", "--Splicer:Usage:CheckpointInterval=00:00:01",
    ]);

    private static async Task<int> PortAsync(ExternalProcess splicer)
    {
        var bound = await splicer.WaitForLineAsync(line => line.Contains("Splice listener bound to"));
        var port = int.Parse(BoundPort().Match(bound).Groups[1].Value);
        await ExternalProcess.WaitForPortAsync(port);
        return port;
    }

    private static async Task SendAsync(TestClient from, TestClient to, int count)
    {
        var payload = RandomNumberGenerator.GetBytes(count);
        await from.SendAsync(payload);
        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(await to.ReadExactlyAsync(count)));
    }

    private static Task<long> BoxBytesAsync(string database) =>
        ScalarAsync(database, "SELECT coalesce(sum(bytes), 0) FROM usage_totals WHERE kind = 'box' AND period = 'month'");

    private static async Task<long> ScalarAsync(string database, string sql)
    {
        if (!File.Exists(database))
        {
            return -1;
        }

        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        try
        {
            return Convert.ToInt64(await command.ExecuteScalarAsync());
        }
        catch (SqliteException)
        {
            return -1;  // Not migrated yet.
        }
    }

    [GeneratedRegex(@"bound to \S*:(\d+) ")]
    private static partial Regex BoundPort();
}
