using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Splicer.Admin;
using Splicer.Admin.Access;
using Splicer.Admin.Hosting;
using Splicer.Admin.Live;

namespace Splicer.Admin.Api;

/// <summary>The JSON API under <c>/api</c>; the dashboard uses exactly these calls.</summary>
internal static class RelayApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").RequireAuthorization(AdminAccessRequirement.AdminPolicy);

        api.MapGet("/stats", (ThroughputSampler sampler, IRelayMonitor monitor, LiveFeed feed) => new RelayStats(
            ThroughputSampler.Version,
            sampler.Uptime.TotalSeconds,
            monitor.Totals(),
            feed.Latest?.Rate));
        api.MapGet("/history", (ThroughputSampler sampler) => sampler.History.ToArray());
        api.MapGet("/sessions", (ThroughputSampler sampler) => sampler.CurrentSessions());
        api.MapGet("/sessions/recent", (IRelayMonitor monitor) => monitor.RecentSessions());
        api.MapGet("/events", Events);
        api.MapGet("/fleet", ([FromServices] IFleetView fleet) => fleet.Fleet());
        api.MapGet("/relay-hints", (IRelayHints hints, HttpContext http) => hints.Hint(http.Request.Host.Host));
        api.MapGet("/antiforgery", (IAntiforgery antiforgery, HttpContext http) =>
            new AntiforgeryToken(AntiforgeryFilter.HeaderName, antiforgery.GetAndStoreTokens(http).RequestToken!));

        api.MapDelete("/sessions/{id:long}", EndSession).AddEndpointFilter<AntiforgeryFilter>();
        api.MapPost("/sessions/{id:long}/end", EndSession).AddEndpointFilter<AntiforgeryFilter>();
    }

    private static IResult EndSession(long id, IRelayMonitor monitor) =>
        monitor.TryEndSession(id)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No running session {id}");

    /// <summary>Server-sent events: one <c>update</c> per second, until the client leaves or the host stops.</summary>
    private static IResult Events(LiveFeed feed, IHostApplicationLifetime lifetime, HttpContext http)
    {
        // Kestrel waits for open requests at shutdown; an endless stream must end with the host.
        var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        http.Response.RegisterForDispose(stop);
        http.Response.Headers.CacheControl = "no-cache";
        return TypedResults.ServerSentEvents(feed.SubscribeAsync(stop.Token), eventType: "update");
    }
}

public sealed record RelayStats(string Version, double UptimeSeconds, RelayTotals Totals, ThroughputSample? Rate);

public sealed record AntiforgeryToken(string HeaderName, string Token);
