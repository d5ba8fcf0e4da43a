using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Splicer.Admin;
using Splicer.Admin.Hosting;
using Splicer.Administration;
using Splicer.Governance;
using Splicer.Splice;
using Splicer.State;
using Splicer.Tests.Admin;
using Splicer.Tests.Infrastructure;
using Splicer.Tests.State;

namespace Splicer.Tests.Usage;

/// <summary>
/// What the usage page reads (<c>GET /api/usage/identities</c>): each identity against its quota, the
/// box's days for the chart and the top talkers, on a real state file.
/// </summary>
public sealed class UsagePageTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly StateFolder _folder = new();

    [Fact]
    public async Task Each_identity_has_its_bytes_today_and_this_month_against_its_quota_and_the_chart_has_every_day()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 15, 12, 0, 0, TimeSpan.Zero));
        await using var state = await StateFixture.OpenAsync(_folder, clock);
        var usage = new UsageStore(state.Database);
        var alice = await state.Identities.AddAsync("alice", "owner", None);
        var bob = await state.Identities.AddAsync("bob", "owner", None);
        await state.Identities.SetQuotaAsync(alice.Id, new Quota(BytesPerDay: 2_000, BytesPerMonth: 100_000, Sessions: 3, BytesPerSecond: 1_000_000), "owner", None);
        var (aliceSide, bobSide) = (new UsageSide(1, alice.Id, null), new UsageSide(1, bob.Id, null));

        await usage.WriteAsync(
        [
            Ended(1, clock.Now.AddDays(-2), 10_000, aliceSide, bobSide),
            Ended(2, clock.Now, 1_500, aliceSide, aliceSide),
            Ended(3, clock.Now, 700, bobSide, UsageSide.Anonymous("192.0.2.7")),
        ], null, None);

        var report = await Reader(state, usage, clock).ReadIdentitiesAsync(days: 4, None);

        var (a, b) = (report.Identities.Single(i => i.Name == "alice"), report.Identities.Single(i => i.Name == "bob"));
        Assert.Equal((1_500L, 11_500L), (a.BytesToday, a.BytesThisMonth));
        Assert.Equal(new UsageQuota(2_000, 100_000, 3, 1_000_000), a.Quota);
        Assert.Equal(0.75, a.QuotaShare);
        Assert.Equal((700L, 10_700L, (double?)null), (b.BytesToday, b.BytesThisMonth, b.QuotaShare));
        Assert.Equal(new UsageQuota(null, null, null, null), b.Quota);
        Assert.Equal([0, 0], report.Identities.Select(i => i.SessionsNow));

        var today = UsageStore.PeriodStart(UsagePeriod.Day, clock.Now);
        Assert.Equal(
            [new UsageDay(today.AddDays(-3), 0, 0), new UsageDay(today.AddDays(-2), 1, 10_000), new UsageDay(today.AddDays(-1), 0, 0), new UsageDay(today, 2, 2_200)],
            report.Days);
        Assert.Equal(new UsageDay(today.AddDays(-14), 3, 12_200), report.ThisMonth);
    }

    [Fact]
    public async Task Top_talkers_are_the_ten_identities_that_moved_most_this_month_deleted_ones_without_a_name()
    {
        var clock = new ManualClock();
        await using var state = await StateFixture.OpenAsync(_folder, clock);
        var usage = new UsageStore(state.Database);
        var people = new List<long>();
        for (var i = 1; i <= 12; i++)
        {
            people.Add((await state.Identities.AddAsync($"person {i}", "owner", None)).Id);
        }

        await usage.WriteAsync(people.Select((id, i) => Ended(i, clock.Now, 1_000 * (i + 1), new UsageSide(1, id, null), UsageSide.Anonymous(null))).ToList(), null, None);
        await usage.WriteAsync([Ended(99, clock.Now.AddMonths(-1), 1_000_000, new UsageSide(1, people[0], null), UsageSide.Anonymous(null))], null, None);
        await state.Identities.DeleteAsync(people[^1], "owner", None);

        var report = await Reader(state, usage, clock).ReadIdentitiesAsync(days: 1, None);

        Assert.Equal(10, report.TopTalkers.Count);
        Assert.Equal(new UsageTalker(people[^1], null, 12_000), report.TopTalkers[0]);
        Assert.Equal(new UsageTalker(people[2], "person 3", 3_000), report.TopTalkers[^1]);
        Assert.Equal(11, report.Identities.Count);
    }

    [Fact]
    public async Task The_api_shows_a_running_session_and_its_bytes_then_the_ended_one_exact_to_the_byte()
    {
        await using var relay = await DoorsRelay.StartAsync("Splicer:Usage:CheckpointInterval=00:10:00");
        using var http = relay.Host.CreateAdminClient();
        var door = await relay.OpenInviteDoorAsync();
        var (alice, bob) = (await relay.EnrollAsync(door, "alice"), await relay.EnrollAsync(door, "bob"));
        await relay.Identities.SetQuotaAsync(alice.IdentityId, new Quota(BytesPerDay: 1_000_000, Sessions: 2), "owner", None);

        using (var pair = await relay.PairAsync(alice, bob))
        {
            await pair.A.SendAsync(new byte[250_000]);
            await pair.B.ReadExactlyAsync(250_000);

            // The relay counts a write once it returns, which may be a moment after the reader has the bytes.
            var running = await IdentityWhenAsync(http, "alice", identity => identity.BytesToday == 250_000);
            Assert.Equal((1, 250_000L), (running.SessionsNow, running.BytesThisMonth));
            Assert.Equal(0.25, running.QuotaShare);
            Assert.Equal(new UsageQuota(1_000_000, null, 2, null), running.Quota);
            await pair.B.SendAsync(new byte[1_234]);
            await pair.A.ReadExactlyAsync(1_234);
        }

        await Patience.Until(() => relay.Host.Sessions.Count == 0, "the session to end");
        // Between leaving the running sessions and its row being written, an ended session's bytes are in neither.
        await IdentityWhenAsync(http, "alice", identity => identity is { SessionsNow: 0, BytesToday: 251_234 });
        var report = await ReportAsync(http);
        Assert.Equal(251_234, report.Identities.Single(i => i.Name == "bob").BytesToday);
        Assert.Equal(30, report.Days.Count);
        Assert.Equal((251_234L, 251_234L), (report.Days[^1].Bytes, report.ThisMonth.Bytes));
        Assert.Equal(["alice", "bob"], report.TopTalkers.Select(talker => talker.Name).Order());
    }

    [Theory]
    [InlineData("days=0")]
    [InlineData("days=367")]
    [InlineData("days=many")]
    public async Task A_chart_range_out_of_bounds_is_a_bad_request(string query)
    {
        await using var relay = await AdminEndpoints.StartAsync();
        using var http = relay.CreateAdminClient();

        var response = await http.GetAsync("api/usage/identities?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_usage_page_api_needs_the_admin_credential()
    {
        await using var relay = await AdminEndpoints.StartAsync("Admin:Password=usage page password");
        using var http = relay.CreateAdminClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("api/usage/identities")).StatusCode);
        var allowed = await http.RequestAsync(HttpMethod.Get, "api/usage/identities", AdminEndpoints.Basic("usage page password"));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    public void Dispose() => _folder.Dispose();

    private static UsageReader Reader(StateFixture state, UsageStore usage, ManualClock clock) =>
        new(usage, state.Identities, new SessionRegistry(), clock);

    private static async Task<IdentityUsageReport> ReportAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<IdentityUsageReport>("api/usage/identities", Json))!;

    private static async Task<IdentityUsage> IdentityWhenAsync(HttpClient http, string name, Func<IdentityUsage, bool> condition)
    {
        IdentityUsage? found = null;
        await Patience.UntilAsync(async () =>
        {
            found = (await ReportAsync(http)).Identities.Single(identity => identity.Name == name);
            return condition(found);
        }, $"{name}'s usage to show the expected figures");
        return found!;
    }

    private static UsageEntry Ended(long id, DateTimeOffset at, long bytes, UsageSide a, UsageSide b) =>
        new("run", id, at.AddSeconds(-30), at, bytes, 0, "abcdefgh", a, b, "happy");
}
