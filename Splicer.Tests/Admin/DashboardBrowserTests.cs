using System.Net.Sockets;
using Microsoft.Playwright;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Admin;

/// <summary>Drives Debian's Chromium through the dashboard; no browser is downloaded.</summary>
public sealed class DashboardBrowserTests
{
    private const string Chromium = Prerequisites.ChromiumPath;
    private const string Password = "browser test password";
    private static readonly float Timeout = (float)Patience.Long.TotalMilliseconds;

    public static string ScreenshotPath { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots", "admin-dashboard.png");

    [RequiresFact(Prerequisite.Chromium)]
    public async Task The_owner_watches_a_session_live_and_ends_it_from_the_dashboard()
    {
        await using var host = await AdminEndpoints.StartAsync($"Admin:Password={Password}");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            HttpCredentials = new HttpCredentials { Username = "owner", Password = Password },
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(Timeout);
        var page = await context.NewPageAsync();
        var pageErrors = new List<string>();
        page.PageError += (_, error) => pageErrors.Add(error);

        await page.GotoAsync(host.AdminUri().ToString());
        await page.Locator("#connection", new() { HasTextString = "live" }).WaitForAsync();

        using var stop = new CancellationTokenSource(Patience.Long * 2);
        using var pair = await TestClient.PairAsync(host);
        var id = Assert.Single(host.Monitor().ActiveSessions()).Id;
        var sending = TrickleAsync(pair.A.Socket, stop.Token);
        var receiving = pair.B.WaitClosedAsync();

        var row = page.Locator($"#sessions tr[data-session-id=\"{id}\"]");
        await row.WaitForAsync();
        Assert.Contains(pair.Token[..8], await row.InnerTextAsync());
        Assert.DoesNotContain(pair.Token, await page.ContentAsync());
        await page.WaitForFunctionAsync("() => window.splicerDashboard.aToB.some(rate => rate > 0)");
        await page.Locator("#rate-a-to-b", new() { HasNotTextString = "0 B/s" }).WaitForAsync();
        Directory.CreateDirectory(Path.GetDirectoryName(ScreenshotPath)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath, FullPage = true });

        await row.Locator("button.end-session").ClickAsync();

        await row.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        await receiving.WaitAsync(stop.Token);
        await sending.WaitAsync(stop.Token);
        await page.Locator($"#recent tr[data-session-id=\"{id}\"]", new() { HasTextString = "killed" }).WaitForAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath.Replace(".png", "-ended.png"), FullPage = true });
        Assert.Empty(pageErrors);
    }

    /// <summary>A steady trickle (about 3 MB/s) so the chart has something to show, until the relay cuts the connection.</summary>
    private static async Task TrickleAsync(Socket socket, CancellationToken cancellationToken)
    {
        var chunk = new byte[64 * 1024];
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        try
        {
            while (await pace.WaitForNextTickAsync(cancellationToken))
            {
                await socket.SendAsync(chunk, SocketFlags.None, cancellationToken);
            }
        }
        catch (SocketException)
        {
            // The relay reset the connection: the session was ended.
        }
    }
}
