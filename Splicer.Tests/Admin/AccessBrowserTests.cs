using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Splicer.Access;
using Splicer.Governance.Entry;
using Splicer.State;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Admin;

/// <summary>The owner's pages (doors, identities, audit log) in Debian's Chromium; no browser is downloaded.</summary>
public sealed partial class AccessBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const string Password = "access browser password";
    private static readonly float Timeout = (float)Patience.Long.TotalMilliseconds;

    internal static string Screenshot(string name) => Path.Combine(AppContext.BaseDirectory, "screenshots", $"admin-{name}.png");

    [Fact]
    public async Task The_owner_opens_an_address_door_watches_it_count_down_and_closes_it_and_its_session_ends()
    {
        await using var host = await AdminEndpoints.StartAsync($"Admin:Password={Password}", "Splicer:Access:Mode=Doors");
        await using var browser = await BrowserAsync();
        var (page, errors) = await OpenPageAsync(browser, host, "#doors");

        await page.SelectOptionAsync("#open-door select[name=kind]", "address");
        await page.FillAsync("#open-door input[name=addressPrefix]", "127.0.0.0/8");
        await page.FillAsync("#open-door input[name=duration]", "2m");
        await page.FillAsync("#open-door input[name=maxSessions]", "3");
        await page.FillAsync("#open-door input[name=maxBytes]", "1G");
        await page.ClickAsync("#open-door-button");

        var row = page.Locator("#doors tbody tr").First;
        await row.Locator(".state-open").WaitForAsync();
        Assert.Contains("from 127.0.0.0/8", await row.InnerTextAsync());
        Assert.Contains("0 (3 of 3 left)", await row.InnerTextAsync());
        Assert.Contains("1.00 GiB", await row.InnerTextAsync());
        var countdown = row.Locator(".countdown");
        var first = Seconds(await countdown.InnerTextAsync());
        Assert.InRange(first, 100, 120);
        await page.WaitForFunctionAsync(
            "first => { const t = document.querySelector('#doors tbody tr .countdown').textContent.split(':'); return Number(t[0]) * 60 + Number(t[1]) < first; }",
            first);
        Directory.CreateDirectory(Path.GetDirectoryName(Screenshot("doors"))!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("doors"), FullPage = true });

        // A wormhole pair comes through the open door from 127.0.0.1.
        using var pair = await TestClient.PairAsync(host);

        await row.Locator("input.close-reason").FillAsync("done for now");
        await row.Locator("button.close-door").ClickAsync();

        await page.Locator("#doors tbody tr .state-closed").WaitForAsync();
        Assert.Equal((Closure.Reset, Closure.Reset), (await pair.A.WaitClosedAsync(), await pair.B.WaitClosedAsync()));
        await page.ClickAsync("a[data-page=dashboard]");
        await page.Locator("#recent tbody tr", new() { HasText = "killed" }).WaitForAsync();
        Assert.Equal("–", await page.Locator("#doors tbody tr .countdown").InnerTextAsync());
        var door = Assert.Single(await host.Services.GetRequiredService<DoorStore>().ListAsync(DateTimeOffset.UtcNow, includeShut: true, default));
        Assert.Equal(("done for now", false), (door.CloseReason, door.IsOpenAt(DateTimeOffset.UtcNow)));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("doors-closed"), FullPage = true });
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task The_owner_opens_an_invite_door_and_sees_the_invite_and_its_QR_code()
    {
        await using var host = await AdminEndpoints.StartAsync($"Admin:Password={Password}");
        await using var browser = await BrowserAsync();
        var (page, errors) = await OpenPageAsync(browser, host, "#doors");

        await page.FillAsync("#open-door input[name=name]", "for Ada");
        await page.FillAsync("#open-door input[name=inviteUses]", "2");
        await page.ClickAsync("#open-door-button");

        await page.Locator("#new-invite:not(.hidden)").WaitForAsync();
        var invite = await page.InputValueAsync("#new-invite-text");
        Assert.True(InviteCode.TryParse(invite, out _), invite);
        await page.WaitForFunctionAsync("() => document.getElementById('new-invite-qr').naturalWidth > 0");
        await page.Locator("#doors tbody tr", new() { HasTextString = "invite used 0/2" }).WaitForAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("invite"), FullPage = true });

        await page.ClickAsync("#dismiss-invite");
        Assert.Equal("", await page.InputValueAsync("#new-invite-text"));
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task The_owner_adds_disables_and_deletes_an_identity_and_reads_the_audit_log()
    {
        await using var host = await AdminEndpoints.StartAsync($"Admin:Password={Password}");
        await using var browser = await BrowserAsync();
        var (page, errors) = await OpenPageAsync(browser, host, "#identities");

        await page.FillAsync("#add-identity input[name=name]", "ada");
        await page.ClickAsync("#add-identity button[type=submit]");
        var row = page.Locator("#identities tbody tr", new() { HasTextString = "ada" });
        await row.Locator(".state-open").WaitForAsync();
        var identity = Assert.Single(await host.Services.GetRequiredService<IdentityStore>().ListAsync(default));
        await host.Services.GetRequiredService<IdentityStore>().AddDeviceAsync(identity.Id, new byte[32], "phone", "test", default);

        await row.Locator("button.disable-identity").ClickAsync();
        await row.Locator(".state-disabled").WaitForAsync();
        Assert.Contains("phone", await row.InnerTextAsync());
        Assert.True((await host.Services.GetRequiredService<IdentityStore>().FindAsync(identity.Id, default))!.IsDisabled);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("identities"), FullPage = true });

        await row.Locator("button.delete-identity").ClickAsync();
        await row.Locator("button.delete-identity", new() { HasTextString = "delete for good?" }).ClickAsync();
        await row.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        Assert.Empty(await host.Services.GetRequiredService<IdentityStore>().ListAsync(default));

        await page.ClickAsync("#pages a[data-page=audit]");
        var newest = page.Locator("#audit tbody tr").First;
        await newest.WaitForAsync();
        Assert.Equal(["identity.delete", "identity.disable", "device.add", "identity.add"],
            await page.Locator("#audit tbody tr td:nth-child(4)").AllInnerTextsAsync());
        Assert.Contains("owner (password)", await newest.InnerTextAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("audit"), FullPage = true });

        // The dashboard is still there and live.
        await page.ClickAsync("#pages a[data-page=dashboard]");
        await page.Locator("#connection", new() { HasTextString = "live" }).WaitForAsync();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    private static int Seconds(string countdown)
    {
        var match = Countdown().Match(countdown);
        Assert.True(match.Success, countdown);
        return int.Parse(match.Groups[1].Value) * 60 + int.Parse(match.Groups[2].Value);
    }

    internal static async Task<IBrowser> BrowserAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install chromium");
        var playwright = await Playwright.CreateAsync();
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
    }

    internal static async Task<(IPage Page, List<string> Errors)> OpenPageAsync(IBrowser browser, RelayHost host, string fragment, string password = Password)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            HttpCredentials = new HttpCredentials { Username = "owner", Password = password },
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(Timeout);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add($"{message.Text} ({message.Location})");
            }
        };
        await page.GotoAsync(host.AdminUri() + fragment);
        return (page, errors);
    }

    [GeneratedRegex(@"^(\d+):(\d\d)$")]
    private static partial Regex Countdown();
}
