using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Splicer.Admin.Access;
using Splicer.Admin.Hosting;

namespace Splicer.Admin.Api;

/// <summary>
/// The dashboard's page, scripts and styles, embedded in this assembly: the appliance has no
/// internet, so nothing is fetched from elsewhere. Served as endpoints so that access control applies.
/// </summary>
internal static class DashboardAssets
{
    private static readonly IFileProvider Files = new EmbeddedFileProvider(typeof(DashboardAssets).Assembly, "Splicer.Admin.wwwroot");
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    // The page loads only what Splicer itself serves.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", (HttpContext http) => Serve(http, "index.html"))
            .RequireAuthorization(AdminAccessRequirement.AdminPolicy);
        endpoints.MapGet("/assets/{**path}", (string path, HttpContext http) => Serve(http, path))
            .RequireAuthorization(AdminAccessRequirement.AdminPolicy);
    }

    private static IResult Serve(HttpContext http, string path)
    {
        var file = Files.GetFileInfo(path);
        if (!file.Exists)
        {
            return TypedResults.NotFound();
        }

        // Files without an extension are the vendored licences.
        var contentType = ContentTypes.TryGetContentType(path, out var known) ? known : "text/plain; charset=utf-8";

        var headers = http.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        return TypedResults.Stream(file.CreateReadStream(), contentType);
    }
}
