using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Splicer.Admin;
using Splicer.Admin.Access;
using Splicer.Admin.Hosting;
using Splicer.Hosting;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Admin;

public sealed class AdminAccessTests
{
    private const string Password = "correct horse battery staple";
    private const string BearerToken = "0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task A_non_loopback_admin_without_a_credential_refuses_to_start_with_exit_code_2()
    {
        var exitCode = await SplicerHost.RunAsync(["--Splicer:Port=0", "--Splicer:Address=127.0.0.1", "--Admin:Url=http://0.0.0.0:0"])
            .WithPatience();

        Assert.Equal(2, exitCode);
    }

    [Fact]
    public async Task The_refusal_names_the_key_and_the_way_out()
    {
        await using var app = SplicerHost.Build(["--Splicer:Port=0", "--Admin:Url=http://0.0.0.0:0"]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        var message = Assert.Single(error.Failures);
        Assert.Contains("Admin:Url", message);
        Assert.Contains("Admin:Password or Admin:BearerToken", message);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", null, true)]
    [InlineData("http://localhost:8080", null, true)]
    [InlineData("http://[::1]:8080", null, true)]
    [InlineData("http://0.0.0.0:8080", null, false)]
    [InlineData("http://[::]:8080", null, false)]
    [InlineData("http://+:8080", null, false)]
    [InlineData("http://*:8080", null, false)]
    [InlineData("http://192.0.2.7:8080", null, false)]
    [InlineData("http://0.0.0.0:8080", BearerToken, true)]
    [InlineData("http://0.0.0.0:8080", "short", false)]
    [InlineData("not a url", null, false)]
    public void Only_loopback_may_go_without_a_credential(string url, string? token, bool valid)
    {
        var options = new AdminOptions { Url = url, BearerToken = token };

        Assert.Equal(valid, new AdminOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public async Task With_a_credential_configured_every_admin_call_asks_for_it()
    {
        await using var host = await AdminEndpoints.StartAsync($"Admin:Password={Password}", $"Admin:BearerToken={BearerToken}");
        using var http = host.CreateAdminClient();

        var anonymous = await http.GetAsync("api/stats");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("assets/app.js")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(http, "api/stats", new("Bearer", "wrong-token-wrong-token"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(http, "api/stats", Basic("wrong"))).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, "api/stats", new("Bearer", BearerToken))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, "api/stats", Basic(Password))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, "", Basic(Password))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, "metrics", new("Bearer", BearerToken))).StatusCode);

        // Probes stay open: they tell nothing but up and ready.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("readyz")).StatusCode);
    }

    [Fact]
    public async Task Metrics_can_be_left_open_while_the_rest_asks_for_the_credential()
    {
        await using var host = await AdminEndpoints.StartAsync($"Admin:BearerToken={BearerToken}", "Admin:Metrics:RequireCredential=false");
        using var http = host.CreateAdminClient();

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("metrics")).StatusCode);
        var anonymous = await http.GetAsync("api/sessions");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task The_bearer_token_may_end_a_session_without_antiforgery_but_the_password_may_not()
    {
        await using var host = await AdminEndpoints.StartAsync($"Admin:Password={Password}", $"Admin:BearerToken={BearerToken}");
        using var http = host.CreateAdminClient();
        using var pair = await TestClient.PairAsync(host);
        var id = Assert.Single(host.Monitor().ActiveSessions()).Id;

        // A browser sends a remembered Basic password on its own, even for a page of another origin.
        var byPassword = await SendAsync(http, $"api/sessions/{id}", Basic(Password), HttpMethod.Delete);
        Assert.Equal(HttpStatusCode.BadRequest, byPassword.StatusCode);
        Assert.Single(host.Monitor().ActiveSessions());

        var byToken = await SendAsync(http, $"api/sessions/{id}", new("Bearer", BearerToken), HttpMethod.Delete);
        Assert.Equal(HttpStatusCode.NoContent, byToken.StatusCode);
        await pair.BothClosedAsync();
    }

    private static AuthenticationHeaderValue Basic(string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("owner:" + password)));

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, string path, AuthenticationHeaderValue credential, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        request.Headers.Authorization = credential;
        return await http.SendAsync(request);
    }
}
