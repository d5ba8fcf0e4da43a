using Microsoft.Data.Sqlite;
using Splicer.Governance;
using Splicer.State;
using Splicer.Tests.State;

namespace Splicer.Tests.Usage;

/// <summary>The usage tables on a real SQLite file: rows, totals to the byte, checkpoints, interrupted runs, retention, blur.</summary>
public sealed class UsageStoreTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Noon = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly StateFolder _folder = new();

    [Fact]
    public async Task An_ended_session_is_one_row_and_adds_to_the_box_and_each_identity_and_door_today_and_this_month()
    {
        await using var state = await StateFixture.OpenAsync(_folder);
        var usage = new UsageStore(state.Database);
        var alice = new UsageSide(DoorId: 7, IdentityId: 1, Source: null);
        var bob = new UsageSide(DoorId: 7, IdentityId: 2, Source: null);

        await usage.WriteAsync([Ended("run", 1, 1_000, 234, alice, bob)], null, None);

        var row = Assert.Single(await usage.SessionsAsync(Noon.AddDays(-1), Noon.AddDays(1), 10, None));
        Assert.Equal((1_000L, 234L, "happy", "abcdefgh"), (row.BytesAToB, row.BytesBToA, row.Outcome, row.TokenPrefix));
        Assert.Equal((alice, bob), (row.A, row.B));
        Assert.Equal(TimeSpan.FromSeconds(30), row.Duration);
        Assert.Equal(1_234, await usage.BytesTodayAsync(1, Noon, None));
        Assert.Equal(1_234, await usage.BytesTodayAsync(2, Noon, None));
        Assert.Equal(1_234, await usage.BytesThisMonthAsync(2, Noon.AddDays(20), None));
        Assert.Equal(0, await usage.BytesTodayAsync(2, Noon.AddDays(1), None));
        Assert.Equal(1_234, await usage.BytesInAsync(UsageSubjectKind.Door, 7, UsagePeriod.Day, Noon, None));
        var box = Assert.Single(await usage.TotalsAsync(UsagePeriod.Day, Noon.AddDays(-1), Noon.AddDays(1), None), total => total.Kind == UsageSubjectKind.Box);
        Assert.Equal((1L, 1_234L), (box.Sessions, box.Bytes));
    }

    [Fact]
    public async Task Checkpoints_add_only_what_is_new_and_the_final_row_replaces_them()
    {
        await using var state = await StateFixture.OpenAsync(_folder);
        var usage = new UsageStore(state.Database);
        var side = new UsageSide(null, 5, null);

        await usage.WriteAsync([Checkpoint("run", 1, 100, 10, side)], null, None);
        await usage.WriteAsync([Checkpoint("run", 1, 100, 10, side)], null, None);
        await usage.WriteAsync([Checkpoint("run", 1, 500, 50, side)], null, None);
        Assert.Equal(550, await usage.BytesTodayAsync(5, Noon, None));
        Assert.Empty(await usage.SessionsAsync(Noon.AddDays(-1), Noon.AddDays(1), 10, None));

        await usage.WriteAsync([Ended("run", 1, 800, 80, side, side)], null, None);

        Assert.Equal(880, await usage.BytesTodayAsync(5, Noon, None));
        Assert.Single(await usage.SessionsAsync(Noon.AddDays(-1), Noon.AddDays(1), 10, None));
        Assert.Equal(0, await Count(state, "usage_running"));
        var total = Assert.Single(await usage.TotalsAsync(UsagePeriod.Month, Noon.AddMonths(-1), Noon.AddMonths(1), None), t => t.Kind == UsageSubjectKind.Identity);
        Assert.Equal(1, total.Sessions);
    }

    [Fact]
    public async Task Bytes_count_for_the_day_they_were_relayed_in()
    {
        await using var state = await StateFixture.OpenAsync(_folder);
        var usage = new UsageStore(state.Database);
        var side = new UsageSide(null, 5, null);
        var midnight = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

        await usage.WriteAsync([Checkpoint("run", 1, 300, 0, side) with { At = midnight.AddSeconds(-5) }], null, None);
        await usage.WriteAsync([Ended("run", 1, 1_000, 0, side, side) with { At = midnight.AddSeconds(5) }], null, None);

        Assert.Equal(300, await usage.BytesTodayAsync(5, midnight.AddHours(-1), None));
        Assert.Equal(700, await usage.BytesTodayAsync(5, midnight.AddHours(1), None));
    }

    [Fact]
    public async Task A_killed_runs_checkpoints_become_interrupted_rows_without_counting_twice()
    {
        await using var state = await StateFixture.OpenAsync(_folder);
        var usage = new UsageStore(state.Database);
        var side = UsageSide.Anonymous("192.0.2.1");
        await usage.WriteAsync([Checkpoint("killed", 1, 4_000, 96, side), Checkpoint("current", 1, 1, 1, side)], null, None);

        Assert.Equal(1, await usage.FinishInterruptedAsync("current", null, None));
        Assert.Equal(0, await usage.FinishInterruptedAsync("current", null, None));

        var row = Assert.Single(await usage.SessionsAsync(Noon.AddDays(-1), Noon.AddDays(1), 10, None));
        Assert.Equal((UsageStore.Interrupted, 4_000L, 96L, "192.0.2.1"), (row.Outcome, row.BytesAToB, row.BytesBToA, row.A.Source));
        Assert.Equal(1, await Count(state, "usage_running"));
        var box = await usage.BytesInAsync(UsageSubjectKind.Box, 0, UsagePeriod.Day, Noon, None);
        Assert.Equal(4_096 + 2, box);
    }

    [Fact]
    public async Task Rows_past_the_retention_are_pruned_and_the_totals_kept()
    {
        await using var state = await StateFixture.OpenAsync(_folder);
        var usage = new UsageStore(state.Database);
        var side = new UsageSide(null, 5, null);
        await usage.WriteAsync([Ended("run", 1, 10, 0, side, side) with { StartedAt = Noon.AddDays(-100), At = Noon.AddDays(-100) }, Ended("run", 2, 20, 0, side, side)], null, None);

        Assert.Equal(1, await usage.PruneAsync(Noon.AddDays(-90), None));

        var kept = Assert.Single(await usage.SessionsAsync(Noon.AddYears(-1), Noon.AddDays(1), 10, None));
        Assert.Equal(20, kept.BytesAToB);
        Assert.Equal(10, await usage.BytesTodayAsync(5, Noon.AddDays(-100), None));
    }

    [Fact]
    public async Task Blur_rounds_times_and_bytes_and_keeps_no_address_or_token_while_totals_stay_exact()
    {
        await using var state = await StateFixture.OpenAsync(_folder);
        var usage = new UsageStore(state.Database);
        var side = UsageSide.Anonymous("192.0.2.1");
        var blur = new UsageBlur(TimeSpan.FromHours(1));

        await usage.WriteAsync([Ended("run", 1, 1_234, 2_345_678, side, side) with { StartedAt = Noon.AddMinutes(5), At = Noon.AddMinutes(17) }], blur, None);

        var row = Assert.Single(await usage.SessionsAsync(Noon.AddDays(-1), Noon.AddDays(1), 10, None));
        Assert.Equal(Noon, row.StartedAt);
        Assert.Equal(TimeSpan.FromHours(1), row.Duration);
        Assert.Equal((10_000L, 3_000_000L), (row.BytesAToB, row.BytesBToA));
        Assert.Null(row.TokenPrefix);
        Assert.Null(row.A.Source);
        Assert.Equal(1_234 + 2_345_678, await usage.BytesInAsync(UsageSubjectKind.Box, 0, UsagePeriod.Day, Noon, None));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 10_000)]
    [InlineData(10_000, 10_000)]
    [InlineData(999_999, 1_000_000)]
    [InlineData(1_000_001, 2_000_000)]
    [InlineData(1_000_000_001, 1_100_000_000)]
    public void Blurred_byte_counts_round_up_as_the_reference_relay_does(long count, long blurred) =>
        Assert.Equal(blurred, UsageBlur.Bytes(count));

    [Fact]
    public async Task The_largest_share_of_a_door_quota_is_read_from_the_door_totals()
    {
        await using var state = await StateFixture.OpenAsync(_folder);
        var usage = new UsageStore(state.Database);
        await state.Database.WriteAsync((transaction, token) => transaction.Command(
            "INSERT INTO doors (id, kind, name, address_prefix, opened_at, expires_at, max_bytes) VALUES (3, 'address', 'lan', '192.0.2.0/24', 0, 9e15, 1000)")
            .ExecuteAsync(token), None);
        var side = new UsageSide(3, null, "192.0.2.1");

        await usage.WriteAsync([Ended("run", 1, 850, 50, side, side)], null, None);

        Assert.Equal(0.9, (await usage.LargestQuotaSharesAsync(Noon, None)).Door, precision: 6);
    }

    [Fact]
    public async Task The_largest_share_of_an_identity_quota_is_the_day_or_the_month_whichever_is_fuller()
    {
        await using var state = await StateFixture.OpenAsync(_folder);
        var usage = new UsageStore(state.Database);
        var ada = await state.Identities.AddAsync("ada", "owner", None);
        var bob = await state.Identities.AddAsync("bob", "owner", None);
        await state.Identities.SetQuotaAsync(ada.Id, new Quota(BytesPerDay: 4_000, BytesPerMonth: 2_000), "owner", None);
        await state.Identities.SetQuotaAsync(bob.Id, new Quota(BytesPerDay: 10_000), "owner", None);
        var (adaSide, bobSide) = (new UsageSide(1, ada.Id, null), new UsageSide(1, bob.Id, null));

        await usage.WriteAsync([Ended("run", 1, 1_000, 500, adaSide, adaSide), Ended("run", 2, 4_000, 1_000, bobSide, bobSide)], null, None);

        var shares = await usage.LargestQuotaSharesAsync(Noon, None);
        Assert.Equal(0.75, shares.Identity, precision: 6);
        Assert.Equal(0.0, (await usage.LargestQuotaSharesAsync(Noon.AddMonths(1), None)).Identity);
    }

    [Fact]
    public async Task Writing_usage_marks_its_identities_and_devices_used_at_their_latest_entry_blurred_as_the_rows()
    {
        await using var state = await StateFixture.OpenAsync(_folder);
        var usage = new UsageStore(state.Database);
        var alice = await state.Identities.AddAsync("alice", "owner", None);
        var laptop = await state.Identities.AddDeviceAsync(alice.Id, new byte[32], "laptop", "owner", None);
        var bob = await state.Identities.AddAsync("bob", "owner", None);
        var side = new UsageSide(7, alice.Id, null) { DeviceId = laptop.Id };
        var anonymous = UsageSide.Anonymous("192.0.2.1");

        await usage.WriteAsync([Checkpoint("run", 1, 10, 0, side) with { At = Noon.AddMinutes(-5) }, Ended("run", 2, 1, 1, side, anonymous)], null, None);
        await usage.WriteAsync([Ended("run", 3, 1, 1, side, anonymous) with { At = Noon.AddMinutes(-1) }], null, None);

        Assert.Equal(Noon, (await state.Identities.FindAsync(alice.Id, None))!.LastUsedAt);
        Assert.Equal(Noon, Assert.Single(await state.Identities.DevicesAsync(alice.Id, None)).LastUsedAt);
        Assert.Null((await state.Identities.FindAsync(bob.Id, None))!.LastUsedAt);

        await usage.WriteAsync([Ended("run", 4, 1, 1, side, anonymous) with { At = Noon.AddMinutes(50) }], new UsageBlur(TimeSpan.FromHours(1)), None);
        Assert.Equal(Noon, (await state.Identities.FindAsync(alice.Id, None))!.LastUsedAt); // 12:50, blurred to the hour
    }

    public void Dispose() => _folder.Dispose();

    private static UsageEntry Ended(string run, long id, long aToB, long bToA, UsageSide a, UsageSide b) =>
        new(run, id, Noon.AddSeconds(-30), Noon, aToB, bToA, "abcdefgh", a, b, "happy");

    private static UsageEntry Checkpoint(string run, long id, long aToB, long bToA, UsageSide side) =>
        new(run, id, Noon.AddSeconds(-30), Noon, aToB, bToA, "abcdefgh", side, side, null);

    private static Task<long> Count(StateFixture state, string table) =>
        state.Database.ReadAsync((connection, token) => connection.Command($"SELECT count(*) FROM {table}").ScalarAsync(token), None);
}
