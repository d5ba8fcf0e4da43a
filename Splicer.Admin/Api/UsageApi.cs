using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Splicer.Admin;
using Splicer.Admin.Access;
using Splicer.Admin.Hosting;

namespace Splicer.Admin.Api;

/// <summary>
/// <c>GET /api/usage?from=&amp;to=</c> (JSON) and <c>GET /api/usage.csv?from=&amp;to=</c>: the usage kept on
/// disk, under the same credential as the rest of <c>/api</c>. <c>from</c> and <c>to</c> are ISO 8601 times
/// or dates (UTC when no offset is given); the default is the last 24 hours. <c>GET /api/usage/identities?days=</c>:
/// what the usage page shows (each identity against its quota, the box's last days, the top talkers).
/// </summary>
internal static class UsageApi
{
    public const int DefaultLimit = 10_000;
    public const int MaxLimit = 100_000;
    public const int DefaultChartDays = 30;
    public const int MaxChartDays = 366;

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").RequireAuthorization(AdminAccessRequirement.AdminPolicy);
        api.MapGet("/usage", async (string? from, string? to, int? limit, IUsageReport usage, TimeProvider clock, CancellationToken cancellationToken) =>
            Range(from, to, limit, clock) is { } range
                ? Results.Ok(await usage.ReadAsync(range.From, range.To, range.Limit, cancellationToken))
                : BadRange());
        api.MapGet("/usage.csv", async (string? from, string? to, int? limit, IUsageReport usage, TimeProvider clock, CancellationToken cancellationToken) =>
            Range(from, to, limit, clock) is { } range
                ? Results.Text(Csv(await usage.ReadAsync(range.From, range.To, range.Limit, cancellationToken)), "text/csv; charset=utf-8")
                : BadRange());
        api.MapGet("/usage/identities", async (int? days, IUsageReport usage, CancellationToken cancellationToken) =>
            days is null or (>= 1 and <= MaxChartDays)
                ? Results.Ok(await usage.ReadIdentitiesAsync(days ?? DefaultChartDays, cancellationToken))
                : TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"days must be between 1 and {MaxChartDays}"));
    }

    private static IResult BadRange() => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest,
        title: $"from and to must be ISO 8601 times or dates with from before to, and limit between 1 and {MaxLimit}");

    private static (DateTimeOffset From, DateTimeOffset To, int Limit)? Range(string? from, string? to, int? limit, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        DateTimeOffset start = now.AddDays(-1), end = now;
        if ((from is not null && !TryParse(from, out start)) || (to is not null && !TryParse(to, out end)) || start >= end)
        {
            return null;
        }

        return limit is null or (>= 1 and <= MaxLimit) ? (start, end, limit ?? DefaultLimit) : null;
    }

    private static bool TryParse(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    /// <summary>One line per session, the columns of <see cref="UsageRow"/>; times in ISO 8601 UTC.</summary>
    public static string Csv(UsageReport report)
    {
        var csv = new StringBuilder("id,started_at,duration_seconds,bytes_a_to_b,bytes_b_to_a,outcome,token_prefix,door_a,identity_a,source_a,door_b,identity_b,source_b\n");
        foreach (var row in report.Sessions)
        {
            csv.Append(CultureInfo.InvariantCulture,
                $"{row.Id},{row.StartedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ},{row.DurationSeconds:0.###},{row.BytesAToB},{row.BytesBToA},{Field(row.Outcome)},{Field(row.TokenPrefix)},{row.DoorA},{row.IdentityA},{Field(row.SourceA)},{row.DoorB},{row.IdentityB},{Field(row.SourceB)}\n");
        }

        return csv.ToString();
    }

    /// <summary>Quoted when it holds a comma, a quote or a line break; a leading formula character is neutralised for spreadsheets.</summary>
    private static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
