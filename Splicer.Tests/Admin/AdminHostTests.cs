using System.Net;
using System.Net.NetworkInformation;
using Microsoft.Extensions.Options;
using Splicer.Admin;
using Splicer.Admin.Access;
using Splicer.Admin.Hosting;
using Splicer.Hosting;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Admin;

/// <summary>The admin answers only the host names it is configured for (DNS rebinding).</summary>
public sealed class AdminHostTests
{
    private const string Attacker = "attacker.example";
    private const string BearerToken = "0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("")]
    [InlineData("api/sessions")]
    [InlineData("api/antiforgery")]
    [InlineData("api/stats")]
    [InlineData("healthz")]
    [InlineData("readyz")]
    [InlineData("metrics")]
    public async Task A_request_for_another_host_name_is_refused_with_400(string path)
    {
        await using var host = await AdminEndpoints.StartAsync();
        using var http = host.CreateAdminClient();

        var response = await http.RequestAsync(HttpMethod.Get, path, host: Attacker);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_page_on_another_host_name_cannot_end_a_session_even_with_a_valid_antiforgery_token()
    {
        await using var host = await AdminEndpoints.StartAsync();
        using var http = host.CreateAdminClient();
        using var pair = await TestClient.PairAsync(host);
        var id = Assert.Single(host.Monitor().ActiveSessions()).Id;

        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"api/sessions/{id}");
        await AdminApiTests.AddAntiforgeryAsync(http, delete);
        delete.Headers.Host = $"{Attacker}:{http.BaseAddress!.Port}";
        var response = await http.SendAsync(delete);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single(host.Monitor().ActiveSessions());
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("LocalHost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    public async Task Loopback_names_are_answered(string name)
    {
        await using var host = await AdminEndpoints.StartAsync();
        using var http = host.CreateAdminClient();

        Assert.Equal(HttpStatusCode.OK, (await http.RequestAsync(HttpMethod.Get, "api/sessions", host: name)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.RequestAsync(HttpMethod.Get, "api/antiforgery", host: name)).StatusCode);
    }

    [Fact]
    public async Task The_host_of_Admin_Url_is_answered()
    {
        // Another loopback address: not among the loopback names, so only Admin:Url lets it in.
        await using var host = await AdminEndpoints.StartAsync("Admin:Url=http://127.0.0.2:0");
        using var http = host.CreateAdminClient();

        Assert.Equal("127.0.0.2", http.BaseAddress!.Host);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("api/sessions")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.RequestAsync(HttpMethod.Get, "api/sessions", host: Attacker)).StatusCode);
    }

    [Fact]
    public async Task Admin_AllowedHosts_entries_are_answered_and_a_star_entry_means_subdomains()
    {
        await using var host = await AdminEndpoints.StartAsync("Admin:AllowedHosts:0=relay.example.net", "Admin:AllowedHosts:1=*.example.org");
        using var http = host.CreateAdminClient();

        foreach (var name in new[] { "relay.example.net", "RELAY.example.net", "admin.example.org", "a.b.example.org" })
        {
            Assert.Equal(HttpStatusCode.OK, (await http.RequestAsync(HttpMethod.Get, "api/sessions", host: name)).StatusCode);
        }

        foreach (var name in new[] { "example.org", "relay.example.net.attacker.example", "example.net", Attacker })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await http.RequestAsync(HttpMethod.Get, "api/sessions", host: name)).StatusCode);
        }
    }

    [Fact]
    public async Task The_top_level_AllowedHosts_key_does_not_let_other_hosts_in()
    {
        await using var host = await AdminEndpoints.StartAsync("AllowedHosts=*");
        using var http = host.CreateAdminClient();

        Assert.Equal(HttpStatusCode.BadRequest, (await http.RequestAsync(HttpMethod.Get, "api/sessions", host: Attacker)).StatusCode);
    }

    [Fact]
    public async Task Listening_on_every_address_it_answers_this_machines_addresses_but_no_other_name()
    {
        await using var host = await AdminEndpoints.StartAsync("Admin:Url=http://0.0.0.0:0", $"Admin:BearerToken={BearerToken}");
        using var http = host.CreateAdminClient();
        http.BaseAddress = new UriBuilder(http.BaseAddress!) { Host = "127.0.0.1" }.Uri;

        foreach (var address in InterfaceAddresses())
        {
            var name = AdminHosts.Literal(address);
            Assert.Equal(HttpStatusCode.OK, (await http.RequestAsync(HttpMethod.Get, "healthz", host: name)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.RequestAsync(HttpMethod.Get, "metrics", AdminEndpoints.Bearer(BearerToken), name)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await http.RequestAsync(HttpMethod.Get, "healthz", host: Attacker)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.RequestAsync(HttpMethod.Get, "healthz", host: "0.0.0.0")).StatusCode);
    }

    [Fact]
    public void The_allowed_hosts_follow_Admin_Url()
    {
        IPAddress[] machine = [IPAddress.Parse("192.0.2.7"), IPAddress.Parse("fe80::1%2")];
        string[] loopback = ["localhost", "127.0.0.1", "[::1]"];
        string[] Allowed(string url) => [.. AdminHosts.Allowed(new AdminOptions { Url = url }, () => machine)];

        Assert.Equal(loopback, Allowed("http://127.0.0.1:8080"));
        Assert.Equal(loopback, Allowed("http://[::1]:8080"));
        Assert.Equal(loopback, Allowed("http://localhost:8080"));
        Assert.Equal([.. loopback, "198.51.100.1"], Allowed("http://198.51.100.1:8080"));
        Assert.Equal([.. loopback, "[2001:db8::5]"], Allowed("http://[2001:db8::5]:8080"));
        foreach (var everyAddress in new[] { "http://0.0.0.0:8080", "http://[::]:8080", "http://+:8080", "http://*:8080" })
        {
            Assert.Equal([.. loopback, "192.0.2.7", "[fe80::1]"], Allowed(everyAddress));
        }

        // Kestrel binds a name other than localhost to every address.
        Assert.Equal([.. loopback, "relay.example.net", "192.0.2.7", "[fe80::1]"], Allowed("https://relay.example.net:8443"));
    }

    [Theory]
    [InlineData("relay.example.net", "relay.example.net")]
    [InlineData(" relay.example.net ", "relay.example.net")]
    [InlineData("relay", "relay")]
    [InlineData("*.example.net", "*.example.net")]
    [InlineData("192.0.2.7", "192.0.2.7")]
    [InlineData("2001:db8::7", "[2001:db8::7]")]
    [InlineData("[2001:DB8::7]", "[2001:db8::7]")]
    [InlineData("*", null)]
    [InlineData("0.0.0.0", null)]
    [InlineData("[::]", null)]
    [InlineData("", null)]
    [InlineData("relay.example.net:8080", null)]
    [InlineData("http://relay.example.net", null)]
    [InlineData("relay.example.net/admin", null)]
    [InlineData("*.", null)]
    [InlineData("*example.net", null)]
    [InlineData("relay.*.net", null)]
    [InlineData("192.0.2", null)]
    [InlineData("256.1.1.1", null)]
    [InlineData("fe80::1%2", null)]
    public void Admin_AllowedHosts_entries_are_one_name_or_address_and_the_refusal_names_the_key(string entry, string? normalized)
    {
        var options = new AdminOptions { AllowedHosts = ["localhost", entry] };

        var result = new AdminOptionsValidator().Validate(null, options);

        Assert.Equal(normalized is not null, result.Succeeded);
        if (normalized is null)
        {
            Assert.Contains("Admin:AllowedHosts:1", Assert.Single(result.Failures!));
        }
        else
        {
            Assert.True(AdminHosts.TryNormalize(entry, out var host));
            Assert.Equal(normalized, host);
        }
    }

    [Fact]
    public async Task A_bad_Admin_AllowedHosts_entry_stops_the_start()
    {
        await using var app = SplicerHost.Build(["--Splicer:Port=0", "--Admin:Url=http://127.0.0.1:0", "--Admin:AllowedHosts:0=*"]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync()).WithPatience();

        Assert.Contains("Admin:AllowedHosts:0", Assert.Single(error.Failures));
    }

    private static IEnumerable<IPAddress> InterfaceAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
            .Select(unicast => unicast.Address);
}
