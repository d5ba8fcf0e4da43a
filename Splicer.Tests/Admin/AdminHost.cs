using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Splicer.Accept;
using Splicer.Admin;
using Splicer.Hosting;

namespace Splicer.Tests.Admin;

/// <summary>The real Splicer host, in-process, with the splice port and the admin on free loopback ports.</summary>
internal sealed class AdminHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AdminHost(WebApplication app)
    {
        _app = app;
        SpliceEndPoint = app.Services.GetRequiredService<SpliceListener>().LocalEndPoint!;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        AdminUri = new Uri(address.Replace("[::]", "127.0.0.1") + "/");
        Monitor = app.Services.GetRequiredService<IRelayMonitor>();
    }

    public IPEndPoint SpliceEndPoint { get; }

    public Uri AdminUri { get; }

    public IRelayMonitor Monitor { get; }

    public static async Task<AdminHost> StartAsync(params string[] args)
    {
        var app = Build(args);
        await app.StartAsync();
        return new AdminHost(app);
    }

    public static WebApplication Build(params string[] args) =>
        SplicerHost.Build(
            ["--Splicer:Port=0", "--Splicer:Address=127.0.0.1", "--Admin:Url=http://127.0.0.1:0", "--Splicer:DrainTimeout=00:00:01", .. args],
            builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));

    /// <summary>A client for the admin; it keeps cookies, as a browser would (the antiforgery cookie).</summary>
    public HttpClient CreateClient() => new(new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer() })
    {
        BaseAddress = AdminUri,
        Timeout = TimeSpan.FromSeconds(30),
    };

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
