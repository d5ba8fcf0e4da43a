using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Splicer.Accounting;
using Splicer.Admin;
using Splicer.Admin.Hosting;
using Splicer.Endings;
using Splicer.Options;
using Splicer.State;
using Splicer.Tests.Admin;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Usage;

/// <summary>Usage written by the running relay, on its real state file, and read back through the admin API.</summary>
public sealed class UsageRecordingTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Ended_sessions_are_rows_and_totals_exact_to_the_byte()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto, "Splicer:Usage:CheckpointInterval=00:00:01");
        var store = relay.Services.GetRequiredService<UsageStore>();

        var sizes = new[] { (AToB: 123_457, BToA: 7), (AToB: 1, BToA: 2_000_001) };
        foreach (var (aToB, bToA) in sizes)
        {
            using var pair = await TestClient.PairAsync(relay);
            await Task.WhenAll(
                ExchangeAsync(pair.A, pair.B, aToB),
                ExchangeAsync(pair.B, pair.A, bToA));
        }

        await relay.Records.WaitForSessionsAsync(Outcome.Happy, 2);
        var rows = await RowsAsync(store, 2);
        Assert.Equal(sizes.Select(size => ((long)size.AToB, (long)size.BToA)), rows.Select(row => (row.BytesAToB, row.BytesBToA)));
        Assert.All(rows, row => Assert.Equal("happy", row.Outcome));
        Assert.All(rows, row => Assert.Equal("127.0.0.1", row.A.Source));
        var expected = sizes.Sum(size => (long)size.AToB + size.BToA);
        Assert.Equal(expected, await store.BytesInAsync(UsageSubjectKind.Box, 0, UsagePeriod.Day, DateTimeOffset.UtcNow, None));
        Assert.Equal(expected, await store.BytesInAsync(UsageSubjectKind.Box, 0, UsagePeriod.Month, DateTimeOffset.UtcNow, None));
    }

    [Fact]
    public async Task A_running_session_is_checkpointed_and_one_cut_by_the_stop_keeps_its_final_row()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto, "Splicer:Usage:CheckpointInterval=00:00:01", "Splicer:DrainTimeout=00:00:00");
        var store = relay.Services.GetRequiredService<UsageStore>();
        using var pair = await TestClient.PairAsync(relay);
        await ExchangeAsync(pair.A, pair.B, 50_000);

        await Patience.UntilAsync(async () => await BoxTodayAsync(store) == 50_000, "a checkpoint of the running session");
        await relay.StopAsync();

        var row = Assert.Single(await RowsAsync(store, 1));
        Assert.Equal(("killed", 50_000L), (row.Outcome, row.BytesAToB));
        Assert.Equal(50_000, await BoxTodayAsync(store));
    }

    [Fact]
    public async Task The_usage_api_returns_sessions_and_daily_totals_as_json_and_csv()
    {
        await using var relay = await AdminEndpoints.StartAsync("Splicer:Usage:CheckpointInterval=00:00:01");
        using var http = relay.CreateAdminClient();
        using (var pair = await TestClient.PairAsync(relay))
        {
            await ExchangeAsync(pair.A, pair.B, 4_321);
            await ExchangeAsync(pair.B, pair.A, 0);
        }

        await relay.Records.WaitForSessionAsync(Outcome.Happy);
        await RowsAsync(relay.Services.GetRequiredService<UsageStore>(), 1);

        var from = DateTimeOffset.UtcNow.AddHours(-1).ToString("O");
        var report = (await http.GetFromJsonAsync<UsageReport>($"api/usage?from={Uri.EscapeDataString(from)}", Json))!;
        var row = Assert.Single(report.Sessions);
        Assert.Equal((4_321L, 0L, "happy"), (row.BytesAToB, row.BytesBToA, row.Outcome));
        Assert.Contains(report.Totals, total => total.Kind == "box" && total.Bytes == 4_321);

        var csv = await http.GetStringAsync($"api/usage.csv?from={Uri.EscapeDataString(from)}");
        var lines = csv.TrimEnd('\n').Split('\n');
        Assert.StartsWith("id,started_at,duration_seconds,bytes_a_to_b,bytes_b_to_a,outcome", lines[0]);
        Assert.Contains(",4321,0,happy,", Assert.Single(lines[1..]));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await http.GetAsync("api/usage?from=yesterday-ish")).StatusCode);
    }

    [Fact]
    public async Task With_usage_off_nothing_is_recorded()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto, "Splicer:Usage:Enabled=false");

        Assert.Empty(relay.Services.GetServices<ISessionRecorder>().OfType<UsageRecorder>());
    }

    /// <summary>Sends <paramref name="count"/> random bytes one way and a FIN; checks they all arrived.</summary>
    internal static async Task ExchangeAsync(TestClient from, TestClient to, int count)
    {
        var payload = RandomNumberGenerator.GetBytes(count);
        var sending = from.SendAllThenShutdownAsync(payload);
        var received = await to.ReadToEndAsync();
        await sending.WithPatience();
        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(received));
    }

    private static async Task<List<UsageSession>> RowsAsync(UsageStore store, int count)
    {
        List<UsageSession> rows = [];
        await Patience.UntilAsync(async () =>
        {
            rows = await store.SessionsAsync(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), 100, None);
            return rows.Count >= count;
        }, $"{count} usage rows");
        return rows;
    }

    private static Task<long> BoxTodayAsync(UsageStore store) =>
        store.BytesInAsync(UsageSubjectKind.Box, 0, UsagePeriod.Day, DateTimeOffset.UtcNow, None);
}
