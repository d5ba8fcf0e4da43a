using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Splicer.Access;
using Splicer.Admin;
using Splicer.Admin.Api;
using Splicer.Admin.Hosting;
using Splicer.Governance;
using Splicer.Governance.Entry;
using Splicer.State;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Admin;

/// <summary>The identity, door and audit calls, over HTTP against a real host and a real SQLite file.</summary>
public sealed class AccessApiTests
{
    private const string Token = "access-api-test-bearer-token";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task An_address_door_opens_with_its_limits_counts_down_and_closes_with_a_reason()
    {
        await using var host = await StartAsync();
        using var http = BearerClient(host);

        var opened = await http.PostAsJsonAsync("api/doors", new
        {
            kind = "address", duration = "30m", addressPrefix = "203.0.113.0/24", maxSessions = 5, maxBytes = 1L << 30,
        });

        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var answer = (await opened.Content.ReadFromJsonAsync<OpenDoorAnswer>(Json))!;
        Assert.Null(answer.Invite);
        var door = answer.Door;
        Assert.Equal(("address", "open", "203.0.113.0/24", "from 203.0.113.0/24"), (door.Kind, door.State, door.AddressPrefix, door.Name));
        Assert.Equal((5L, 1L << 30), (door.MaxSessions!.Value, door.MaxBytes!.Value));
        Assert.InRange(door.RemainingSeconds, 1790, 1800);

        var listed = Assert.Single((await http.GetFromJsonAsync<DoorView[]>("api/doors", Json))!);
        Assert.Equal(door.Id, listed.Id);
        Assert.True(listed.RemainingSeconds <= door.RemainingSeconds);

        var closed = await http.PostAsJsonAsync($"api/doors/{door.Id}/close", new { reason = "done for today" });
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        var shut = (await closed.Content.ReadFromJsonAsync<DoorView>(Json))!;
        Assert.Equal(("closed", "done for today", 0.0), (shut.State, shut.CloseReason, shut.RemainingSeconds));
        Assert.Empty((await http.GetFromJsonAsync<DoorView[]>("api/doors", Json))!);
        Assert.Equal("closed", Assert.Single((await http.GetFromJsonAsync<DoorView[]>("api/doors?all=true", Json))!).State);

        var audit = (await http.GetFromJsonAsync<AuditPage>("api/audit", Json))!;
        Assert.Equal(["door.close", "door.open"], audit.Entries.Select(entry => entry.Action));
        Assert.All(audit.Entries, entry => Assert.Equal("owner (bearer token)", entry.Actor));
        Assert.Contains("done for today", audit.Entries[0].Detail);
    }

    [Fact]
    public async Task An_invite_door_answers_with_the_invite_once_and_its_QR_code_and_keeps_only_a_hash()
    {
        await using var host = await StartAsync();
        using var http = BearerClient(host);

        var answer = await OpenAsync(http, new { kind = "invite", duration = "2h", inviteUses = 3, name = "for Ada" });

        Assert.True(InviteCode.TryParse(answer.Invite!, out var invite));
        Assert.Equal([$"127.0.0.1:{host.EndPoint.Port}"], invite!.Addresses);
        Assert.Equal(host.Services.GetRequiredService<BoxKeyRing>().Current.Fingerprint, invite.FingerprintText);
        Assert.Contains("<svg", answer.InviteQrSvg);
        Assert.EndsWith("</svg>", answer.InviteQrSvg!.TrimEnd());
        Assert.Equal(("invite", "for Ada"), (answer.Door.Kind, answer.Door.Name));
        var offered = Assert.Single(answer.Door.Invites);
        Assert.Equal((3, 0), (offered.UsesAllowed, offered.UsesMade));

        var body = await http.GetStringAsync($"api/doors/{answer.Door.Id}");
        Assert.DoesNotContain(answer.Invite!, body);
        Assert.DoesNotContain(answer.Invite!, await http.GetStringAsync("api/audit"));
    }

    [Fact]
    public async Task Invites_carry_the_configured_addresses_or_the_ones_asked_for()
    {
        await using var host = await StartAsync("Splicer:Access:InviteAddresses:0=relay.example.net:4001", "Splicer:Access:InviteAddresses:1=198.51.100.7:4001");
        using var http = BearerClient(host);

        var configured = await OpenAsync(http, new { kind = "invite", duration = "10m" });
        var asked = await OpenAsync(http, new { kind = "invite", duration = "10m", inviteAddresses = new[] { "box.lan:4001" } });

        Assert.True(InviteCode.TryParse(configured.Invite!, out var first));
        Assert.Equal(["relay.example.net:4001", "198.51.100.7:4001"], first!.Addresses);
        Assert.True(InviteCode.TryParse(asked.Invite!, out var second));
        Assert.Equal(["box.lan:4001"], second!.Addresses);
    }

    [Fact]
    public async Task A_door_for_named_identities_has_no_invite_and_an_unknown_identity_is_refused()
    {
        await using var host = await StartAsync();
        using var http = BearerClient(host);
        var ada = await AddIdentityAsync(http, "ada");

        var answer = await OpenAsync(http, new { kind = "invite", duration = "1h", identities = new[] { ada.Id } });
        var unknown = await http.PostAsJsonAsync("api/doors", new { kind = "invite", duration = "1h", identities = new[] { 999 } });

        Assert.Null(answer.Invite);
        Assert.Empty(answer.Door.Invites);
        Assert.Equal([ada.Id], answer.Door.Identities);
        Assert.Equal([answer.Door.Id], (await http.GetFromJsonAsync<IdentityView>($"api/identities/{ada.Id}", Json))!.Doors);
        await AssertProblemAsync(unknown, HttpStatusCode.BadRequest, "identity 999");
    }

    [Fact]
    public async Task Identities_are_added_disabled_enabled_and_deleted_with_their_devices_and_last_use_shown()
    {
        await using var host = await StartAsync();
        using var http = BearerClient(host);
        var ada = await AddIdentityAsync(http, "ada");
        var store = host.Services.GetRequiredService<IdentityStore>();
        var device = await store.AddDeviceAsync(ada.Id, new byte[32].Select((_, i) => (byte)i).ToArray(), "laptop", "test", default);
        var used = DateTimeOffset.UtcNow.AddMinutes(-3);
        var side = new UsageSide(null, ada.Id, null) { DeviceId = device.Id };
        await host.Services.GetRequiredService<UsageStore>().WriteAsync(
            [new UsageEntry("run", 1, used.AddSeconds(-1), used, 1, 1, "abcdefgh", side, UsageSide.Anonymous("192.0.2.1"), "happy")], null, default);

        var listed = Assert.Single((await http.GetFromJsonAsync<IdentityView[]>("api/identities", Json))!);
        var shownDevice = Assert.Single(listed.Devices);
        Assert.Equal(("ada", false), (listed.Name, listed.Disabled));
        Assert.Equal(("laptop", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"), (shownDevice.Name, shownDevice.PublicKey));
        Assert.Equal(used.ToUnixTimeMilliseconds(), shownDevice.LastUsedAt!.Value.ToUnixTimeMilliseconds());
        Assert.Equal(used.ToUnixTimeMilliseconds(), listed.LastUsedAt!.Value.ToUnixTimeMilliseconds());

        var disabled = (await (await http.PostAsync($"api/identities/{ada.Id}/disable", null)).Content.ReadFromJsonAsync<IdentityView>(Json))!;
        Assert.True(disabled.Disabled);
        Assert.True((await store.FindAsync(ada.Id, default))!.IsDisabled);
        var enabled = (await (await http.PostAsync($"api/identities/{ada.Id}/enable", null)).Content.ReadFromJsonAsync<IdentityView>(Json))!;
        Assert.False(enabled.Disabled);

        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"api/identities/{ada.Id}")).StatusCode);
        Assert.Empty((await http.GetFromJsonAsync<IdentityView[]>("api/identities", Json))!);
        Assert.Null(await store.FindDeviceAsync(device.PublicKey, default));

        var actions = (await http.GetFromJsonAsync<AuditPage>("api/audit", Json))!.Entries.Select(entry => entry.Action);
        Assert.Equal(["identity.delete", "identity.enable", "identity.disable", "device.add", "identity.add"], actions);
    }

    [Fact]
    public async Task Sizes_are_read_as_the_docs_write_them_in_the_door_and_its_quota()
    {
        await using var host = await StartAsync();
        using var http = BearerClient(host);

        var opened = await http.PostAsJsonAsync("api/doors", new
        {
            kind = "invite", duration = "1h", maxBytes = "10G", quota = new { bytesPerDay = "512M", bytesPerMonth = 1_000_000 },
        });

        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var door = (await opened.Content.ReadFromJsonAsync<OpenDoorAnswer>(Json))!.Door;
        Assert.Equal(10L << 30, door.MaxBytes);
    }

    [Theory]
    [InlineData("""{"kind":"invite","duration":"1h","maxBytes":"lots"}""", "a size such as")]
    [InlineData("""{"kind":"window","duration":"1h"}""", "kind must be invite or address")]
    [InlineData("""{"kind":"invite"}""", "duration must be like")]
    [InlineData("""{"kind":"invite","duration":"0s"}""", "duration must be like")]
    [InlineData("""{"kind":"invite","duration":"soon"}""", "duration must be like")]
    [InlineData("""{"kind":"invite","duration":"400d"}""", "duration must be like")]
    [InlineData("""{"kind":"invite","duration":"1h","maxSessions":0}""", "maxSessions must be at least 1")]
    [InlineData("""{"kind":"invite","duration":"1h","maxBytes":-5}""", "maxBytes must be at least 1")]
    [InlineData("""{"kind":"invite","duration":"1h","inviteUses":1001}""", "inviteUses must be 0 (no invite) to 1000")]
    [InlineData("""{"kind":"invite","duration":"1h","inviteUses":0}""", "a door without an invite must name identities")]
    [InlineData("""{"kind":"invite","duration":"1h","addressPrefix":"10.0.0.0/8"}""", "addressPrefix belongs to address doors")]
    [InlineData("""{"kind":"invite","duration":"1h","name":" padded "}""", "name must be 1 to 100 characters")]
    [InlineData("""{"kind":"invite","duration":"1h","identities":[3,3]}""", "identities must be distinct")]
    [InlineData("""{"kind":"invite","duration":"1h","inviteAddresses":["no-port"]}""", "inviteAddresses must be 1 to 8 entries")]
    [InlineData("""{"kind":"address","duration":"1h"}""", "an address door needs addressPrefix")]
    [InlineData("""{"kind":"address","duration":"1h","addressPrefix":"example.net"}""", "is not an IP address or prefix")]
    [InlineData("""{"kind":"address","duration":"1h","addressPrefix":"203.0.113.9/24"}""", "did you mean 203.0.113.0/24?")]
    [InlineData("""{"kind":"address","duration":"1h","addressPrefix":"203.0.113.0/33"}""", "prefix length that is not 0 to 32")]
    [InlineData("""{"kind":"address","duration":"1h","addressPrefix":"203.0.113.0/24","inviteUses":2}""", "belong to invite doors")]
    [InlineData("""{"kind":"address","duration":"1h","addressPrefix":"203.0.113.0/24","maxSesions":2}""", "maxSesions")]
    [InlineData("""{"kind":"address",""", "Bad JSON")]
    [InlineData("""[]""", "Bad JSON")]
    public async Task A_door_that_cannot_be_opened_as_asked_is_a_400_naming_the_reason(string body, string reason)
    {
        await using var host = await StartAsync();
        using var http = BearerClient(host);

        var response = await http.PostAsync("api/doors", new StringContent(body, new MediaTypeHeaderValue("application/json")));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, reason);
        Assert.Empty((await http.GetFromJsonAsync<DoorView[]>("api/doors?all=true", Json))!);
    }

    [Theory]
    [InlineData("POST", "api/doors/77/close")]
    [InlineData("GET", "api/doors/77")]
    [InlineData("GET", "api/identities/77")]
    [InlineData("POST", "api/identities/77/disable")]
    [InlineData("POST", "api/identities/77/enable")]
    [InlineData("DELETE", "api/identities/77")]
    public async Task An_unknown_id_is_a_404_and_a_malformed_one_a_400(string method, string path)
    {
        await using var host = await StartAsync();
        using var http = BearerClient(host);

        await AssertProblemAsync(await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)), HttpStatusCode.NotFound, "77");
        await AssertProblemAsync(await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path.Replace("77", "x7"))), HttpStatusCode.BadRequest, "'x7' is not an id");
    }

    [Fact]
    public async Task Other_bad_input_is_a_400_too()
    {
        await using var host = await StartAsync();
        using var http = BearerClient(host);
        var door = (await OpenAsync(http, new { kind = "invite", duration = "1h" })).Door;

        await AssertProblemAsync(await http.PostAsJsonAsync("api/identities", new { name = "" }), HttpStatusCode.BadRequest, "name must be");
        await AssertProblemAsync(await http.PostAsync("api/identities", new StringContent("name=ada")), HttpStatusCode.BadRequest, "Content-Type: application/json");
        await AssertProblemAsync(await http.PostAsJsonAsync($"api/doors/{door.Id}/close", new { reason = "" }), HttpStatusCode.BadRequest, "reason must be");
        await AssertProblemAsync(await http.GetAsync("api/audit?limit=0"), HttpStatusCode.BadRequest, "limit must be 1 to 500");
        await AssertProblemAsync(await http.GetAsync("api/audit?before=-1"), HttpStatusCode.BadRequest, "before must be");
        await AssertProblemAsync(await http.GetAsync("api/doors?all=yes"), HttpStatusCode.BadRequest, "all must be true or false");
    }

    [Fact]
    public async Task Closing_without_a_body_gives_the_default_reason_and_closing_again_changes_nothing()
    {
        await using var host = await StartAsync();
        using var http = BearerClient(host);
        var door = (await OpenAsync(http, new { kind = "invite", duration = "1h" })).Door;

        var first = (await (await http.PostAsync($"api/doors/{door.Id}/close", null)).Content.ReadFromJsonAsync<DoorView>(Json))!;
        var again = await http.PostAsJsonAsync($"api/doors/{door.Id}/close", new { reason = "twice" });

        Assert.Equal(("closed", AdminText.DefaultCloseReason), (first.State, first.CloseReason));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(AdminText.DefaultCloseReason, (await again.Content.ReadFromJsonAsync<DoorView>(Json))!.CloseReason);
        Assert.Single((await http.GetFromJsonAsync<AuditPage>("api/audit", Json))!.Entries, entry => entry.Action == "door.close");
    }

    [Fact]
    public async Task Quotas_are_set_on_identities_and_doors_shown_cleared_and_audited()
    {
        await using var host = await StartAsync();
        using var http = BearerClient(host);
        var identity = await AddIdentityAsync(http, "ada");
        var door = (await OpenAsync(http, new { kind = "invite", duration = "1h", quota = new { bytesPerMonth = 5_000_000_000L, sessions = 3 } })).Door;
        Assert.Equal(new QuotaView(BytesPerMonth: 5_000_000_000, Sessions: 3), door.Quota);

        var set = await http.PutAsJsonAsync($"api/identities/{identity.Id}/quota", new { bytesPerDay = 1_000_000_000L, bytesPerSecond = 2_000_000L });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(new QuotaView(BytesPerDay: 1_000_000_000, BytesPerSecond: 2_000_000), (await set.Content.ReadFromJsonAsync<IdentityView>(Json))!.Quota);
        Assert.Equal(new QuotaView(BytesPerDay: 1_000_000_000, BytesPerSecond: 2_000_000), (await http.GetFromJsonAsync<IdentityView>($"api/identities/{identity.Id}", Json))!.Quota);

        var cleared = await http.PutAsJsonAsync($"api/doors/{door.Id}/quota", new { });
        Assert.Equal(QuotaView.None, (await cleared.Content.ReadFromJsonAsync<DoorView>(Json))!.Quota);

        var audit = (await http.GetFromJsonAsync<AuditPage>("api/audit", Json))!;
        Assert.Equal(["door.quota", "identity.quota"], audit.Entries.Take(2).Select(entry => entry.Action));
        Assert.Contains("day 1000000000, month unlimited, sessions unlimited, rate 2000000", audit.Entries[1].Detail);

        await AssertProblemAsync(await http.PutAsJsonAsync($"api/identities/{identity.Id}/quota", new { bytesPerSecond = 10 }), HttpStatusCode.BadRequest, "bytesPerSecond must be at least 1024");
        await AssertProblemAsync(await http.PutAsJsonAsync($"api/doors/{door.Id}/quota", new { sessions = -1 }), HttpStatusCode.BadRequest, "sessions must be 0 or more");
        await AssertProblemAsync(await http.PutAsJsonAsync($"api/doors/{door.Id}/quota", new { bytesPerHour = 1 }), HttpStatusCode.BadRequest, "bytesPerHour");
        await AssertProblemAsync(await http.PutAsJsonAsync("api/doors/77/quota", new { }), HttpStatusCode.NotFound, "77");
    }

    [Fact]
    public async Task The_audit_log_pages_newest_first()
    {
        await using var host = await StartAsync();
        using var http = BearerClient(host);
        for (var i = 1; i <= 5; i++)
        {
            await AddIdentityAsync(http, $"person-{i}");
        }

        var first = (await http.GetFromJsonAsync<AuditPage>("api/audit?limit=2", Json))!;
        var second = (await http.GetFromJsonAsync<AuditPage>($"api/audit?limit=2&before={first.NextBefore}", Json))!;
        var last = (await http.GetFromJsonAsync<AuditPage>($"api/audit?limit=2&before={second.NextBefore}", Json))!;

        Assert.Equal(["identity 5 'person-5'", "identity 4 'person-4'"], first.Entries.Select(entry => entry.Detail));
        Assert.Equal(["identity 3 'person-3'", "identity 2 'person-2'"], second.Entries.Select(entry => entry.Detail));
        Assert.Equal(["identity 1 'person-1'"], last.Entries.Select(entry => entry.Detail));
        Assert.Null(last.NextBefore);
        Assert.True(first.Entries[0].At >= first.Entries[1].At);
    }

    [Fact]
    public async Task Every_call_needs_the_credential_and_changes_need_the_antiforgery_token_from_a_browser()
    {
        await using var host = await AdminEndpoints.StartAsync("Admin:Password=access api password");
        using var anonymous = host.CreateAdminClient();
        using var browser = host.CreateAdminClient();
        browser.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("owner:access api password"u8.ToArray()));

        foreach (var path in new[] { "api/identities", "api/doors", "api/audit", "api/doors/1", "api/identities/1" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("api/doors", new { kind = "invite", duration = "1h" })).StatusCode);

        // With the password but without the token, as a page on another origin could send it.
        await browser.GetAsync("api/antiforgery");
        await AssertProblemAsync(await browser.PostAsJsonAsync("api/doors", new { kind = "invite", duration = "1h" }), HttpStatusCode.BadRequest, "antiforgery");
        await AssertProblemAsync(await browser.PostAsJsonAsync("api/identities", new { name = "eve" }), HttpStatusCode.BadRequest, "antiforgery");
        Assert.Empty((await browser.GetFromJsonAsync<DoorView[]>("api/doors?all=true", Json))!);

        using var open = new HttpRequestMessage(HttpMethod.Post, "api/doors") { Content = JsonContent.Create(new { kind = "invite", duration = "1h" }) };
        await AdminApiTests.AddAntiforgeryAsync(browser, open);
        var opened = await browser.SendAsync(open);
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        Assert.Equal("owner (password)", (await browser.GetFromJsonAsync<AuditPage>("api/audit", Json))!.Entries[0].Actor);
    }

    internal static async Task<OpenDoorAnswer> OpenAsync(HttpClient http, object request)
    {
        var response = await http.PostAsJsonAsync("api/doors", request);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<OpenDoorAnswer>(Json))!;
    }

    private static async Task<IdentityView> AddIdentityAsync(HttpClient http, string name)
    {
        var response = await http.PostAsJsonAsync("api/identities", new { name });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<IdentityView>(Json))!;
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string reason)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(reason, body);
    }

    private static Task<RelayHost> StartAsync(params string[] settings) =>
        AdminEndpoints.StartAsync([$"Admin:BearerToken={Token}", .. settings]);

    private static HttpClient BearerClient(RelayHost host)
    {
        var http = host.CreateAdminClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return http;
    }
}
