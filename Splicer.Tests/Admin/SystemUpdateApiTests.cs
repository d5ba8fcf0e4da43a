using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Splicer.Admin;
using Splicer.Admin.Hosting;
using Splicer.Admin.Updates;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Admin;

/// <summary>
/// Updating the system from the admin, over HTTP against a real host. The test plays the appliance's root
/// update service: it writes RAUC's status, takes the install request and reports progress in its files.
/// </summary>
public sealed class SystemUpdateApiTests : IDisposable
{
    private const string Token = "system-update-test-bearer-token";
    private const string Password = "system update password";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly FakeUpdateService _service = new();

    public void Dispose() => _service.Dispose();

    [Fact]
    public async Task Without_the_update_service_the_system_says_why_and_refuses_uploads_and_reboots_with_501()
    {
        await using var host = await StartAsync();
        using var http = BearerClient(host);

        var system = (await http.GetFromJsonAsync<SystemView>("api/system", Json))!;
        var upload = await UploadAsync(http, Bundle(4096));
        var reboot = await http.PostAsync("api/system/reboot", null);

        Assert.False(system.Updates);
        Assert.Contains("rauc-status.json", system.Reason);
        Assert.False(string.IsNullOrEmpty(system.SplicerVersion));
        await AssertProblemAsync(upload, HttpStatusCode.NotImplemented, "cannot be updated from the admin");
        await AssertProblemAsync(reboot, HttpStatusCode.NotImplemented, "cannot be updated from the admin");
        Assert.Empty(_service.RequestFiles());
    }

    [Fact]
    public async Task The_system_shows_the_running_version_the_booted_slot_and_the_other_slots_version()
    {
        _service.Boot();
        await using var host = await StartAsync();
        using var http = BearerClient(host);

        var system = (await http.GetFromJsonAsync<SystemView>("api/system", Json))!;

        Assert.True(system.Updates);
        Assert.Null(system.Reason);
        Assert.Equal((FakeUpdateService.RunningVersion, "A", "idle"), (system.ApplianceVersion, system.BootedSlot, system.Update.State));
        Assert.Equal(
            [new SlotView("A", "booted", "good", null, true), new SlotView("B", "inactive", "bad", "0.1.0-next", false)],
            system.Slots);
    }

    [Fact]
    public async Task An_uploaded_bundle_is_handed_over_whole_its_progress_shown_then_the_reboot_asked_for_all_audited()
    {
        _service.Boot();
        await using var host = await StartAsync();
        using var http = BearerClient(host);
        var bundle = Bundle(3 << 20);

        var upload = await UploadAsync(http, bundle);

        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        Assert.Equal(bundle, await File.ReadAllBytesAsync(Path.Combine(_service.Requests, UpdateFiles.BundleName)));
        Assert.Equal([UpdateFiles.BundleName, UpdateFiles.InstallRequestName], _service.RequestFiles());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_service.Requests, UpdateFiles.BundleName)));
        }

        Assert.Equal("requested", (await SystemAsync(http)).Update.State);

        // The update service takes the request and installs.
        await _service.ReportAsync("""{"state":"installing","percent":40,"message":"Copying image to system.1"}""", takeRequest: true);
        Assert.Equal(new UpdateProgressView("installing", 40, "Copying image to system.1"), (await SystemAsync(http)).Update);
        await AssertProblemAsync(await UploadAsync(http, Bundle(4096)), HttpStatusCode.Conflict, "being installed");
        await AssertProblemAsync(await http.PostAsync("api/system/reboot", null), HttpStatusCode.Conflict, "being installed");

        await _service.ReportAsync("""{"state":"installed","percent":100,"message":"Installing done."}""");
        var reboot = await http.PostAsync("api/system/reboot", null);

        Assert.Equal(HttpStatusCode.Accepted, reboot.StatusCode);
        Assert.True(File.Exists(Path.Combine(_service.Requests, UpdateFiles.RebootRequestName)));
        var audit = (await http.GetFromJsonAsync<AuditPage>("api/audit", Json))!;
        Assert.Equal(["system.reboot", "system.update"], audit.Entries.Select(entry => entry.Action));
        Assert.All(audit.Entries, entry => Assert.Equal("owner (bearer token)", entry.Actor));
        Assert.Contains($"{bundle.Length} bytes, sha256 {Convert.ToHexStringLower(SHA256.HashData(bundle))[..16]}", audit.Entries[1].Detail);
    }

    [Fact]
    public async Task A_body_that_is_not_a_bundle_or_is_empty_is_refused_with_400_and_nothing_is_handed_over()
    {
        _service.Boot();
        await using var host = await StartAsync();
        using var http = BearerClient(host);

        await AssertProblemAsync(await UploadAsync(http, "<html>not a bundle</html>"u8.ToArray()), HttpStatusCode.BadRequest, "not a RAUC bundle");
        await AssertProblemAsync(await UploadAsync(http, []), HttpStatusCode.BadRequest, "empty");

        Assert.Empty(_service.RequestFiles());
        Assert.Equal("idle", (await SystemAsync(http)).Update.State);
    }

    [Fact]
    public async Task A_bundle_over_the_size_limit_is_refused_with_413_whether_its_length_is_declared_or_not()
    {
        _service.Boot();
        await using var host = await StartAsync("Admin:Update:MaxBundleBytes=1048576");
        using var http = BearerClient(host);
        var tooLarge = Bundle((1 << 20) + 1);

        await AssertProblemAsync(await UploadAsync(http, tooLarge), HttpStatusCode.RequestEntityTooLarge, "Admin:Update:MaxBundleBytes");
        await AssertProblemAsync(await UploadAsync(http, tooLarge, declareLength: false), HttpStatusCode.RequestEntityTooLarge, "1048576 bytes");
        Assert.Equal(HttpStatusCode.Accepted, (await UploadAsync(http, Bundle(1 << 20))).StatusCode);

        Assert.Equal([UpdateFiles.BundleName, UpdateFiles.InstallRequestName], _service.RequestFiles());
    }

    [Fact]
    public async Task One_upload_at_a_time_the_second_is_refused_with_409_and_the_first_shows_its_bytes()
    {
        _service.Boot();
        await using var host = await StartAsync();
        using var http = BearerClient(host);
        using var other = BearerClient(host);
        var slow = new SlowContent(Bundle(256 << 10));

        var first = http.PostAsync("api/system/update", slow);
        await slow.HalfSent.Task.WithPatience();
        await Patience.UntilAsync(async () => (await SystemAsync(other)).Update.BytesReceived > 0, "the first upload's bytes arrive");
        var second = await UploadAsync(other, Bundle(4096));
        slow.Finish.SetResult();

        await AssertProblemAsync(second, HttpStatusCode.Conflict, "being uploaded");
        Assert.Equal(HttpStatusCode.Accepted, (await first.WithPatience()).StatusCode);
    }

    [Fact]
    public async Task From_a_browser_an_upload_needs_the_password_and_the_antiforgery_token()
    {
        _service.Boot();
        await using var host = await StartAsync($"Admin:Password={Password}");
        using var anonymous = host.CreateAdminClient();
        using var browser = host.CreateAdminClient();
        browser.DefaultRequestHeaders.Authorization = AdminEndpoints.Basic(Password);

        Assert.Equal(HttpStatusCode.Unauthorized, (await UploadAsync(anonymous, Bundle(4096))).StatusCode);
        await browser.GetAsync("api/antiforgery");
        await AssertProblemAsync(await UploadAsync(browser, Bundle(4096)), HttpStatusCode.BadRequest, "antiforgery");
        Assert.Empty(_service.RequestFiles());

        using var upload = new HttpRequestMessage(HttpMethod.Post, "api/system/update") { Content = new ByteArrayContent(Bundle(4096)) };
        await AdminApiTests.AddAntiforgeryAsync(browser, upload);
        Assert.Equal(HttpStatusCode.Accepted, (await browser.SendAsync(upload)).StatusCode);
        Assert.Equal("owner (password)", (await browser.GetFromJsonAsync<AuditPage>("api/audit", Json))!.Entries[0].Actor);
    }

    private Task<RelayHost> StartAsync(params string[] settings) =>
        AdminEndpoints.StartAsync([$"Admin:BearerToken={Token}", .. _service.Settings, .. settings]);

    private static HttpClient BearerClient(RelayHost host)
    {
        var http = host.CreateAdminClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return http;
    }

    private static async Task<SystemView> SystemAsync(HttpClient http) => (await http.GetFromJsonAsync<SystemView>("api/system", Json))!;

    /// <summary>Random bytes behind a squashfs magic, as a verity bundle starts.</summary>
    private static byte[] Bundle(int length)
    {
        var bytes = RandomNumberGenerator.GetBytes(length);
        "hsqs"u8.CopyTo(bytes);
        return bytes;
    }

    private static Task<HttpResponseMessage> UploadAsync(HttpClient http, byte[] body, bool declareLength = true)
    {
        HttpContent content = declareLength ? new ByteArrayContent(body) : new StreamContent(new UnknownLengthStream(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return http.PostAsync("api/system/update", content);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string reason)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(reason, body);
    }

    /// <summary>A body without a length (sent chunked), as a streaming client sends it.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    /// <summary>Sends half its bytes, then waits for the test before sending the rest.</summary>
    private sealed class SlowContent(byte[] bytes) : HttpContent
    {
        public TaskCompletionSource HalfSent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Finish { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
            await stream.FlushAsync();
            HalfSent.SetResult();
            await Finish.Task.WithPatience();
            await stream.WriteAsync(bytes.AsMemory(bytes.Length / 2));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = bytes.Length;
            return true;
        }
    }
}
