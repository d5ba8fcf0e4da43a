using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Splicer.Admin;
using Splicer.Admin.Access;
using Splicer.Admin.Hosting;

namespace Splicer.Admin.Api;

/// <summary>
/// <c>GET /api/system</c>: the versions and slots of the system and an update's progress.
/// <c>POST /api/system/update</c> (the bundle as the body) and <c>POST /api/system/reboot</c>: the owner's
/// requests, answered 202; 400 for a body that is not a bundle, 409 while another update is on its way,
/// 413 over the size limit, 501 where there is no update service (not the appliance).
/// </summary>
internal static class SystemApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/system").RequireAuthorization(AdminAccessRequirement.AdminPolicy);
        api.MapGet("", async (ISystemUpdate system, CancellationToken cancellationToken) => TypedResults.Ok(await system.DescribeAsync(cancellationToken)));
        api.MapPost("/update", Install).AddEndpointFilter<AntiforgeryFilter>();
        api.MapPost("/reboot", async (ISystemUpdate system, HttpContext http) =>
            Answer(await system.RebootAsync(AccessApi.Actor(http), http.RequestAborted))).AddEndpointFilter<AntiforgeryFilter>();
    }

    private static async Task<IResult> Install(ISystemUpdate system, HttpContext http)
    {
        // The update counts the bytes against its own limit and answers 413 itself, with the reason.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        return Answer(await system.InstallAsync(http.Request.Body, http.Request.ContentLength, AccessApi.Actor(http), http.RequestAborted));
    }

    private static IResult Answer(SystemAnswer answer) => answer.Refusal switch
    {
        SystemRefusal.Accepted => TypedResults.Json(new SystemAccepted(answer.Detail), AdminJson.Default.SystemAccepted, statusCode: StatusCodes.Status202Accepted),
        SystemRefusal.NotAnAppliance => Problem(StatusCodes.Status501NotImplemented, "Not an appliance", answer.Detail),
        SystemRefusal.Busy => Problem(StatusCodes.Status409Conflict, "An update is on its way", answer.Detail),
        SystemRefusal.TooLarge => Problem(StatusCodes.Status413PayloadTooLarge, "Bundle too large", answer.Detail),
        SystemRefusal.NoRoom => Problem(StatusCodes.Status507InsufficientStorage, "No room for the bundle", answer.Detail),
        _ => Problem(StatusCodes.Status400BadRequest, "Not an update bundle", answer.Detail),
    };

    private static IResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}

/// <summary>The 202 answer to an update or reboot request: what happens next, in words.</summary>
public sealed record SystemAccepted(string Detail);
