using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Splicer.Admin.Hosting;

namespace Splicer.Admin.Access;

/// <summary>
/// Guards state-changing calls against other origins: the caller proves it could read an admin
/// page (antiforgery cookie plus header), or presents the bearer token, which no browser sends on its own.
/// </summary>
internal sealed class AntiforgeryFilter(IAntiforgery antiforgery) : IEndpointFilter
{
    public const string HeaderName = "X-Splicer-Antiforgery";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var byBearer = http.User.HasClaim(CredentialAuthenticationHandler.MethodClaim, CredentialAuthenticationHandler.BearerMethod);
        if (!byBearer && !await antiforgery.IsRequestValidAsync(http))
        {
            return Results.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Missing or invalid antiforgery token",
                detail: $"Send the token from GET /api/antiforgery in the {HeaderName} header, or use the bearer token.");
        }

        return await next(context);
    }
}
