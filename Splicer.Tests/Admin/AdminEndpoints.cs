using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Splicer.Admin;
using Splicer.Hosting;
using Splicer.Options;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Admin;

/// <summary>The admin side of a <see cref="RelayHost"/>: where it listens, a client for it, the monitor behind it.</summary>
internal static class AdminEndpoints
{
    public static Task<RelayHost> StartAsync(params string[] settings) => RelayHost.StartAsync(DataPath.Auto, settings);

    public static Uri AdminUri(this RelayHost relay) =>
        new(relay.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");

    public static IRelayMonitor Monitor(this RelayHost relay) => relay.Services.GetRequiredService<IRelayMonitor>();

    /// <summary>A client for the admin; it keeps cookies, as a browser would (the antiforgery cookie).</summary>
    public static HttpClient CreateAdminClient(this RelayHost relay) =>
        new(new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = relay.AdminUri(),
            Timeout = Patience.Long,
        };
}
