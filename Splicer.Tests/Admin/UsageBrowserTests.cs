using Microsoft.Playwright;
using Splicer.Governance;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Admin;

/// <summary>The usage page in Debian's Chromium, fed by a real session relayed through a door on a real state file.</summary>
public sealed class UsageBrowserTests
{
    private const string Password = "usage browser password";
    private const int Sent = 512 * 1024;

    [Fact]
    public async Task The_owner_sees_an_identitys_bytes_against_its_quota_the_chart_the_top_talkers_and_the_csv()
    {
        await using var relay = await DoorsRelay.StartAsync($"Admin:Password={Password}");
        var door = await relay.OpenInviteDoorAsync();
        var (alice, bob) = (await relay.EnrollAsync(door, "alice"), await relay.EnrollAsync(door, "bob"));
        await relay.Identities.SetQuotaAsync(alice.IdentityId, new Quota(BytesPerDay: 1024 * 1024, Sessions: 2), "owner", CancellationToken.None);
        await using var browser = await AccessBrowserTests.BrowserAsync();
        var pair = await relay.PairAsync(alice, bob);
        await pair.A.SendAsync(new byte[Sent]);
        await pair.B.ReadExactlyAsync(Sent);

        var (page, errors) = await AccessBrowserTests.OpenPageAsync(browser, relay.Host, "#usage", Password);

        var row = page.Locator($"#usage-identities tbody tr[data-identity-id=\"{alice.IdentityId}\"]");
        await row.Locator(".sessions-now", new() { HasTextString = "1" }).WaitForAsync();
        await row.Locator(".bytes-today", new() { HasTextString = "512.0 KiB" }).WaitForAsync();
        Assert.Equal("1.00 MiB/day · 2 at once", await row.Locator(".quota").InnerTextAsync());
        Assert.Equal("50 %", await row.Locator(".share-text").InnerTextAsync());
        var bobRow = page.Locator($"#usage-identities tbody tr[data-identity-id=\"{bob.IdentityId}\"]");
        Assert.Equal(("unlimited", "–"), (await bobRow.Locator(".quota").InnerTextAsync(), await bobRow.Locator(".quota-share").InnerTextAsync()));

        pair.Dispose();
        await row.Locator(".sessions-now", new() { HasTextString = "0" }).WaitForAsync();
        await row.Locator(".bytes-today", new() { HasTextString = "512.0 KiB" }).WaitForAsync();
        Assert.Equal(30, await page.Locator("#usage-chart rect.bar").CountAsync());
        Assert.Equal($"{Sent}", await page.Locator("#usage-chart rect.bar").Last.GetAttributeAsync("data-bytes"));
        await page.Locator("#usage-top tbody tr", new() { HasTextString = "alice" }).WaitForAsync();
        Assert.Equal("512.0 KiB", await page.Locator("#usage-box-today").InnerTextAsync());
        Directory.CreateDirectory(Path.GetDirectoryName(AccessBrowserTests.Screenshot("usage"))!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = AccessBrowserTests.Screenshot("usage"), FullPage = true });

        await page.SelectOptionAsync("#usage-days", "7");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#usage-chart rect.bar').length === 7");
        // The session's row is written a moment after it ends (its bytes may already be on disk from a checkpoint).
        var csv = "";
        await Patience.UntilAsync(async () =>
        {
            csv = await page.EvaluateAsync<string>("() => fetch(document.getElementById('usage-csv').href).then(response => response.text())");
            return csv.Contains($",{Sent},0,", StringComparison.Ordinal);
        }, "the session's row in the CSV export");
        Assert.StartsWith("id,started_at,", csv);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
