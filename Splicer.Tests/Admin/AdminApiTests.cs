using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Splicer.Admin;
using Splicer.Admin.Api;
using Splicer.Admin.Hosting;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Admin;

public sealed class AdminApiTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Sessions_list_shows_token_prefix_and_both_endpoints_but_never_the_token()
    {
        await using var host = await AdminEndpoints.StartAsync();
        using var http = host.CreateAdminClient();
        using var pair = await TestClient.PairAsync(host);

        var body = await http.GetStringAsync("api/sessions");
        var session = Assert.Single(JsonSerializer.Deserialize<ActiveSession[]>(body, Json)!);

        Assert.Equal(pair.Token[..8], session.TokenPrefix);
        Assert.Equal(pair.A.Socket.LocalEndPoint!.ToString(), session.RemoteA);
        Assert.Equal(pair.B.Socket.LocalEndPoint!.ToString(), session.RemoteB);
        Assert.DoesNotContain(pair.Token, body);
    }

    [Fact]
    public async Task Ending_a_session_closes_both_sides_and_records_it_as_killed()
    {
        await using var host = await AdminEndpoints.StartAsync();
        using var http = host.CreateAdminClient();
        using var pair = await TestClient.PairAsync(host);
        var id = Assert.Single(host.Monitor().ActiveSessions()).Id;

        using var end = new HttpRequestMessage(HttpMethod.Delete, $"api/sessions/{id}");
        await AddAntiforgeryAsync(http, end);
        var response = await http.SendAsync(end);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await pair.BothClosedAsync();
        await Patience.Until(() => host.Monitor().RecentSessions().Any(s => s.Id == id), "the session is in the recent list");
        var ended = JsonSerializer.Deserialize<EndedSession[]>(await http.GetStringAsync("api/sessions/recent"), Json)!.Single(s => s.Id == id);
        Assert.Equal("killed", ended.Outcome);
        Assert.Equal("ended by the owner", ended.Detail);
        Assert.Empty(JsonSerializer.Deserialize<ActiveSession[]>(await http.GetStringAsync("api/sessions"), Json)!);
    }

    [Fact]
    public async Task Ending_a_session_that_is_not_running_is_not_found()
    {
        await using var host = await AdminEndpoints.StartAsync();
        using var http = host.CreateAdminClient();
        using var end = new HttpRequestMessage(HttpMethod.Post, "api/sessions/4242/end");
        await AddAntiforgeryAsync(http, end);

        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(end)).StatusCode);
    }

    [Fact]
    public async Task Ending_a_session_without_the_antiforgery_token_is_refused_and_the_session_runs_on()
    {
        await using var host = await AdminEndpoints.StartAsync();
        using var http = host.CreateAdminClient();
        using var pair = await TestClient.PairAsync(host);
        var id = Assert.Single(host.Monitor().ActiveSessions()).Id;

        // What a page on another origin can send: no token (it cannot read one), only cookies.
        await http.GetAsync("api/antiforgery");
        var post = await http.PostAsync($"api/sessions/{id}/end", content: null);
        var delete = await http.DeleteAsync($"api/sessions/{id}");
        var get = await http.GetAsync($"api/sessions/{id}/end");

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, delete.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.Single(host.Monitor().ActiveSessions());
    }

    [Fact]
    public async Task Stats_give_totals_version_and_uptime()
    {
        await using var host = await AdminEndpoints.StartAsync();
        using var http = host.CreateAdminClient();
        using (await TestClient.PairAsync(host))
        {
            var stats = (await http.GetFromJsonAsync<RelayStats>("api/stats", Json))!;

            Assert.Equal(2, stats.Totals.ConnectionsAccepted);
            Assert.Equal(1, stats.Totals.SessionsStarted);
            Assert.Equal(1, stats.Totals.ActiveSessions);
            Assert.False(string.IsNullOrEmpty(stats.Version));
            Assert.True(stats.UptimeSeconds >= 0);
        }
    }

    [Fact]
    public async Task Dashboard_and_its_assets_are_served_by_splicer_itself()
    {
        await using var host = await AdminEndpoints.StartAsync();
        using var http = host.CreateAdminClient();

        var page = await http.GetAsync("");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", ""));
        Assert.DoesNotContain("https://", html);
        foreach (var asset in new[] { "assets/app.js", "assets/app.css", "assets/vendor/uplot/uPlot.iife.min.js", "assets/vendor/uplot/uPlot.min.css", "assets/vendor/uplot/LICENSE" })
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(asset)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("assets/nothing.js")).StatusCode);
    }

    [Fact]
    public async Task Health_endpoints_answer()
    {
        await using var host = await AdminEndpoints.StartAsync();
        using var http = host.CreateAdminClient();

        Assert.Equal("Healthy", await http.GetStringAsync("healthz"));
        Assert.Equal("Healthy", await http.GetStringAsync("readyz"));
    }

    internal static async Task AddAntiforgeryAsync(HttpClient http, HttpRequestMessage request)
    {
        var antiforgery = (await http.GetFromJsonAsync<AntiforgeryToken>("api/antiforgery", Json))!;
        request.Headers.Add(antiforgery.HeaderName, antiforgery.Token);
    }
}
