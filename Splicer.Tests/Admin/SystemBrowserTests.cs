using System.Security.Cryptography;
using Microsoft.Playwright;
using Splicer.Admin.Updates;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Admin;

/// <summary>The dashboard's System panel in Debian's Chromium, with the test playing the appliance's update service.</summary>
public sealed class SystemBrowserTests : IDisposable
{
    private const string Password = "system browser password";
    private readonly FakeUpdateService _service = new();

    public void Dispose() => _service.Dispose();

    [Fact]
    public async Task The_owner_sees_version_and_slots_uploads_a_bundle_follows_its_install_and_reboots()
    {
        _service.Boot();
        await using var host = await AdminEndpoints.StartAsync([$"Admin:Password={Password}", .. _service.Settings]);
        await using var browser = await AccessBrowserTests.BrowserAsync();
        var (page, errors) = await AccessBrowserTests.OpenPageAsync(browser, host, "#dashboard", Password);
        page.Dialog += (_, dialog) => dialog.AcceptAsync();

        await page.Locator("#system-version", new() { HasTextString = FakeUpdateService.RunningVersion }).WaitForAsync();
        Assert.Equal("A", await page.Locator("#system-slot").InnerTextAsync());
        Assert.Equal("slot B: 0.1.0-next (bad)", await page.Locator("#system-other").InnerTextAsync());

        var bundle = Path.Combine(_service.Status, "next.raucb");
        var bytes = RandomNumberGenerator.GetBytes(2 << 20);
        "hsqs"u8.CopyTo(bytes);
        await File.WriteAllBytesAsync(bundle, bytes);
        await page.Locator("#system-update input[type=file]").SetInputFilesAsync(bundle);
        await page.ClickAsync("#system-upload");

        await page.Locator("#system-progress-text", new() { HasTextString = "waiting for the update service" }).WaitForAsync();
        Assert.True(await page.Locator("#system-reboot").IsDisabledAsync());
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(_service.Requests, UpdateFiles.BundleName)));
        await _service.ReportAsync("""{"state":"installing","percent":40,"message":"Copying image to system.1"}""", takeRequest: true);
        await page.Locator("#system-progress-text", new() { HasTextString = "installing: Copying image to system.1" }).WaitForAsync();
        Assert.Equal("40", await page.EvalOnSelectorAsync<string>("#system-progress-bar", "bar => String(bar.value)"));
        await _service.ReportAsync("""{"state":"installed","percent":100,"message":"Installing done."}""");
        await page.Locator("#system-progress-text", new() { HasTextString = "reboot to run it" }).WaitForAsync();
        Directory.CreateDirectory(Path.GetDirectoryName(AccessBrowserTests.Screenshot("system"))!);
        await page.Locator("#system").ScreenshotAsync(new LocatorScreenshotOptions { Path = AccessBrowserTests.Screenshot("system") });

        await page.ClickAsync("#system-reboot");
        await page.Locator("#system-reason", new() { HasTextString = "rebooting" }).WaitForAsync();
        Assert.True(_service.Requested(UpdateFiles.RebootRequestName));
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task Without_the_update_service_the_panel_shows_the_version_and_why_and_no_upload()
    {
        await using var host = await AdminEndpoints.StartAsync([$"Admin:Password={Password}", .. _service.Settings]);
        await using var browser = await AccessBrowserTests.BrowserAsync();
        var (page, errors) = await AccessBrowserTests.OpenPageAsync(browser, host, "#dashboard", Password);

        await page.Locator("#system-reason", new() { HasTextString = "cannot be updated from the admin" }).WaitForAsync();
        Assert.False(await page.Locator("#system-update").IsVisibleAsync());
        Assert.StartsWith("Splicer ", await page.Locator("#system-versions").InnerTextAsync());
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
