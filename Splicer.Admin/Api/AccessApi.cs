using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using QRCoder;
using Splicer.Admin;
using Splicer.Admin.Access;
using Splicer.Admin.Hosting;

namespace Splicer.Admin.Api;

/// <summary>
/// Identities, doors and the audit log under <c>/api</c>: the admin pages and <c>splicer door …</c> use
/// exactly these calls. Reading needs the credential; changing needs the antiforgery token or the bearer token.
/// Bad input is 400, an unknown id 404, both as problem+json naming the reason.
/// </summary>
internal static class AccessApi
{
    public const int MaxInviteUses = 1000;
    public const int MaxAuditPage = 500;

    private static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        TypeInfoResolver = AdminJson.Default,
    };

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").RequireAuthorization(AdminAccessRequirement.AdminPolicy);

        api.MapGet("/identities", async (IAccessAdmin admin, CancellationToken token) => TypedResults.Ok(await admin.ListIdentitiesAsync(token)));
        api.MapGet("/identities/{id}", GetIdentity);
        api.MapPost("/identities", AddIdentity).AddEndpointFilter<AntiforgeryFilter>();
        api.MapPost("/identities/{id}/disable", (string id, IAccessAdmin admin, HttpContext http) => SetDisabled(id, true, admin, http))
            .AddEndpointFilter<AntiforgeryFilter>();
        api.MapPost("/identities/{id}/enable", (string id, IAccessAdmin admin, HttpContext http) => SetDisabled(id, false, admin, http))
            .AddEndpointFilter<AntiforgeryFilter>();
        api.MapDelete("/identities/{id}", DeleteIdentity).AddEndpointFilter<AntiforgeryFilter>();
        api.MapPut("/identities/{id}/quota", (string id, IAccessAdmin admin, HttpContext http) =>
            SetQuota(id, "identity", http, (value, quota, actor, token) => AsObject(admin.SetIdentityQuotaAsync(value, quota, actor, token))))
            .AddEndpointFilter<AntiforgeryFilter>();

        api.MapGet("/doors", ListDoors);
        api.MapGet("/doors/{id}", GetDoor);
        api.MapPost("/doors", OpenDoor).AddEndpointFilter<AntiforgeryFilter>();
        api.MapPost("/doors/{id}/close", CloseDoor).AddEndpointFilter<AntiforgeryFilter>();
        api.MapPut("/doors/{id}/quota", (string id, IAccessAdmin admin, HttpContext http) =>
            SetQuota(id, "door", http, (value, quota, actor, token) => AsObject(admin.SetDoorQuotaAsync(value, quota, actor, token))))
            .AddEndpointFilter<AntiforgeryFilter>();

        api.MapGet("/audit", Audit);

        api.MapGet("/key", (IAccessAdmin admin) => TypedResults.Ok(admin.BoxKey()));
        api.MapPost("/key/rotate", async (IAccessAdmin admin, HttpContext http, bool revoke = false) =>
            TypedResults.Ok(await admin.RotateBoxKeyAsync(revoke, Actor(http), http.RequestAborted))).AddEndpointFilter<AntiforgeryFilter>();
    }

    /// <summary>Who the audit log names: the CLI, or the owner and how they signed in.</summary>
    public static string Actor(HttpContext http)
    {
        if (http.Request.Headers.UserAgent.ToString().StartsWith(AdminText.CliUserAgent, StringComparison.Ordinal))
        {
            return "cli";
        }

        return http.User.FindFirst(CredentialAuthenticationHandler.MethodClaim)?.Value switch
        {
            CredentialAuthenticationHandler.BearerMethod => "owner (bearer token)",
            CredentialAuthenticationHandler.PasswordMethod => "owner (password)",
            _ => "owner (loopback)",
        };
    }

    /// <summary>The invite as a QR code, an SVG document (black modules on white, with the quiet zone).</summary>
    public static string QrSvg(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(4);
    }

    private static async Task<IResult> GetIdentity(string id, IAccessAdmin admin, CancellationToken token)
    {
        if (!TryParseId(id, out var value, out var bad))
        {
            return bad;
        }

        return await admin.FindIdentityAsync(value, token) is { } identity ? TypedResults.Ok(identity) : NotFound("identity", value);
    }

    private static async Task<IResult> AddIdentity(IAccessAdmin admin, HttpContext http)
    {
        var (request, bad) = await ReadAsync<IdentityAddRequest>(http);
        if (request is null)
        {
            return bad!;
        }

        if (!AdminText.IsName(request.Name))
        {
            return BadRequest("Bad identity name", "name must be 1 to 100 characters, without control characters or surrounding spaces");
        }

        var identity = await admin.AddIdentityAsync(request.Name!, Actor(http), http.RequestAborted);
        return TypedResults.Created($"/api/identities/{identity.Id}", identity);
    }

    private static async Task<IResult> SetDisabled(string id, bool disabled, IAccessAdmin admin, HttpContext http)
    {
        if (!TryParseId(id, out var value, out var bad))
        {
            return bad;
        }

        return await admin.SetIdentityDisabledAsync(value, disabled, Actor(http), http.RequestAborted) is { } identity
            ? TypedResults.Ok(identity)
            : NotFound("identity", value);
    }

    private static async Task<IResult> DeleteIdentity(string id, IAccessAdmin admin, HttpContext http)
    {
        if (!TryParseId(id, out var value, out var bad))
        {
            return bad;
        }

        return await admin.DeleteIdentityAsync(value, Actor(http), http.RequestAborted) ? TypedResults.NoContent() : NotFound("identity", value);
    }

    private static async Task<IResult> ListDoors(IAccessAdmin admin, HttpContext http)
    {
        var all = http.Request.Query["all"].ToString();
        if (all is not ("" or "true" or "false"))
        {
            return BadRequest("Bad query", "all must be true or false");
        }

        return TypedResults.Ok(await admin.ListDoorsAsync(all == "true", http.RequestAborted));
    }

    private static async Task<IResult> GetDoor(string id, IAccessAdmin admin, CancellationToken token)
    {
        if (!TryParseId(id, out var value, out var bad))
        {
            return bad;
        }

        return await admin.FindDoorAsync(value, token) is { } door ? TypedResults.Ok(door) : NotFound("door", value);
    }

    private static async Task<IResult> OpenDoor(IAccessAdmin admin, HttpContext http)
    {
        var (request, bad) = await ReadAsync<DoorOpenRequest>(http);
        if (request is null)
        {
            return bad!;
        }

        if (Problem(request) is { } problem)
        {
            return BadRequest("Bad door", problem);
        }

        try
        {
            var opened = await admin.OpenDoorAsync(Normalize(request, http.Request.Host.Host), Actor(http), http.RequestAborted);
            var answer = new OpenDoorAnswer(opened.Door, opened.Invite, opened.Invite is { } invite ? QrSvg(invite) : null);
            return TypedResults.Created($"/api/doors/{opened.Door.Id}", answer);
        }
        catch (AccessAdminException exception)
        {
            return BadRequest("Bad door", exception.Message);
        }
    }

    private static async Task<IResult> CloseDoor(string id, IAccessAdmin admin, HttpContext http)
    {
        if (!TryParseId(id, out var value, out var bad))
        {
            return bad;
        }

        var reason = AdminText.DefaultCloseReason;
        if (http.Request.ContentLength is not 0 && (http.Request.ContentLength is > 0 || http.Request.HasJsonContentType()))
        {
            var (request, badBody) = await ReadAsync<DoorCloseRequest>(http);
            if (request is null)
            {
                return badBody!;
            }

            if (request.Reason is not null)
            {
                if (request.Reason.Length is 0 or > 200 || request.Reason.Any(char.IsControl))
                {
                    return BadRequest("Bad reason", "reason must be 1 to 200 characters without control characters");
                }

                reason = request.Reason;
            }
        }

        return await admin.CloseDoorAsync(value, reason, Actor(http), http.RequestAborted) is { } door ? TypedResults.Ok(door) : NotFound("door", value);
    }

    private static async Task<IResult> Audit(IAccessAdmin admin, HttpContext http)
    {
        var query = http.Request.Query;
        var limit = 50;
        if (query["limit"].ToString() is { Length: > 0 } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxAuditPage))
        {
            return BadRequest("Bad query", $"limit must be 1 to {MaxAuditPage}");
        }

        long? before = null;
        if (query["before"].ToString() is { Length: > 0 } beforeText)
        {
            if (!long.TryParse(beforeText, NumberStyles.None, CultureInfo.InvariantCulture, out var beforeId) || beforeId < 1)
            {
                return BadRequest("Bad query", "before must be an audit entry id (a positive number)");
            }

            before = beforeId;
        }

        return TypedResults.Ok(await admin.AuditAsync(limit, before, http.RequestAborted));
    }

    private static async Task<IResult> SetQuota(
        string id, string what, HttpContext http, Func<long, QuotaView, string, CancellationToken, Task<object?>> set)
    {
        if (!TryParseId(id, out var value, out var bad))
        {
            return bad;
        }

        var (quota, badBody) = await ReadAsync<QuotaView>(http);
        if (quota is null)
        {
            return badBody!;
        }

        if (Problem(quota) is { } problem)
        {
            return BadRequest("Bad quota", problem);
        }

        return await set(value, quota, Actor(http), http.RequestAborted) is { } changed ? TypedResults.Ok(changed) : NotFound(what, value);
    }

    private static async Task<object?> AsObject<T>(Task<T?> task)
        where T : class => await task;

    /// <summary>What is wrong with the quota, for the owner; null when nothing is.</summary>
    internal static string? Problem(QuotaView quota) => quota switch
    {
        { BytesPerDay: < 0 } => "bytesPerDay must be 0 or more (leave it out for no limit)",
        { BytesPerMonth: < 0 } => "bytesPerMonth must be 0 or more (leave it out for no limit)",
        { Sessions: < 0 } => "sessions must be 0 or more (leave it out for no limit)",
        { BytesPerSecond: < AdminText.MinBytesPerSecond } =>
            $"bytesPerSecond must be at least {AdminText.MinBytesPerSecond} (leave it out for no limit)",
        _ => null,
    };

    /// <summary>What is wrong with the request, for the owner; null when nothing is.</summary>
    internal static string? Problem(DoorOpenRequest request)
    {
        if (request.Quota is { } quota && Problem(quota) is { } quotaProblem)
        {
            return quotaProblem;
        }

        var kind = request.Kind ?? "";
        if (kind is not ("invite" or "address"))
        {
            return "kind must be invite or address";
        }

        if (!AdminText.TryParseDuration(request.Duration, out _))
        {
            return $"duration must be like 30m, 2h, 1h30m, 7d or 01:30:00, more than zero and at most {AdminText.MaxDuration.TotalDays:0} days";
        }

        if (request.Name is not null && !AdminText.IsName(request.Name))
        {
            return "name must be 1 to 100 characters, without control characters or surrounding spaces";
        }

        if (request.MaxSessions is < 1)
        {
            return "maxSessions must be at least 1 (leave it out for no limit)";
        }

        if (request.MaxBytes is < 1)
        {
            return "maxBytes must be at least 1 (leave it out for no limit)";
        }

        if (kind == "address")
        {
            if (!AdminText.TryParsePrefix(request.AddressPrefix, out _, out var problem))
            {
                return problem;
            }

            if (request.Identities is { Length: > 0 } || request.InviteUses is > 0 || request.InviteAddresses is { Length: > 0 })
            {
                return "an address door admits by address: identities, inviteUses and inviteAddresses belong to invite doors";
            }

            return null;
        }

        if (request.AddressPrefix is not null)
        {
            return "addressPrefix belongs to address doors";
        }

        if (request.InviteUses is < 0 or > MaxInviteUses)
        {
            return $"inviteUses must be 0 (no invite) to {MaxInviteUses}";
        }

        if (request.Identities is { } identities && (identities.Any(id => id < 1) || identities.Distinct().Count() != identities.Length || identities.Length > 1000))
        {
            return "identities must be distinct identity ids";
        }

        if (request.InviteUses == 0 && request.Identities is not { Length: > 0 })
        {
            return "a door without an invite must name identities";
        }

        if (request.InviteAddresses is { } addresses
            && (addresses.Length > 8 || addresses.Any(address => string.IsNullOrWhiteSpace(address) || Encoding.UTF8.GetByteCount(address) > 255 || !address.Contains(':'))))
        {
            return "inviteAddresses must be 1 to 8 entries of host:port";
        }

        return null;
    }

    private static DoorOpening Normalize(DoorOpenRequest request, string requestHost)
    {
        AdminText.TryParseDuration(request.Duration, out var duration);
        var identities = request.Identities ?? [];
        string? prefix = null;
        if (request.Kind == "address")
        {
            AdminText.TryParsePrefix(request.AddressPrefix, out var network, out _);
            prefix = network.ToString();
        }

        // An invite door makes a single-use invite unless told otherwise; one naming identities makes none.
        var uses = request.Kind == "address" ? 0 : request.InviteUses ?? (identities.Length > 0 ? 0 : 1);
        var name = request.Name ?? (prefix is null ? "invite" : $"from {prefix}");
        return new DoorOpening(request.Kind!, name, duration, request.MaxSessions, request.MaxBytes, identities, uses, prefix,
            request.InviteAddresses ?? [], requestHost, request.Quota);
    }

    private static async Task<(T? Request, IResult? Bad)> ReadAsync<T>(HttpContext http)
        where T : class
    {
        if (!http.Request.HasJsonContentType())
        {
            return (null, BadRequest("Not JSON", "send a JSON body with Content-Type: application/json"));
        }

        try
        {
            var request = await JsonSerializer.DeserializeAsync(http.Request.Body, AdminJson.Info<T>(Strict), http.RequestAborted);
            return request is null ? (null, BadRequest("Not JSON", "the body is null")) : (request, null);
        }
        catch (JsonException exception)
        {
            return (null, BadRequest("Bad JSON", exception.Message));
        }
    }

    private static bool TryParseId(string text, out long id, out IResult bad)
    {
        bad = null!;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0)
        {
            return true;
        }

        bad = BadRequest("Bad id", $"'{text}' is not an id (a positive number)");
        return false;
    }

    private static IResult BadRequest(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail);

    private static IResult NotFound(string what, long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No {what} {id}", detail: $"there is no {what} with id {id}");
}

/// <summary>The body of <c>POST /api/doors</c>.</summary>
/// <param name="Duration">e.g. <c>30m</c>, <c>2h</c>, <c>1h30m</c>, <c>7d</c>, <c>01:30:00</c>.</param>
/// <param name="InviteUses">Invite doors: how often the invite may be redeemed (default 1, or 0 when identities are named).</param>
public sealed record DoorOpenRequest(
    string? Kind,
    string? Duration,
    string? Name = null,
    long? MaxSessions = null,
    [property: JsonConverter(typeof(ByteCountJson))] long? MaxBytes = null,
    long[]? Identities = null,
    int? InviteUses = null,
    string? AddressPrefix = null,
    string[]? InviteAddresses = null,
    QuotaView? Quota = null);

public sealed record DoorCloseRequest(string? Reason);

public sealed record IdentityAddRequest(string? Name);

/// <param name="Invite">Shown once: only a hash of its secret is kept.</param>
/// <param name="InviteQrSvg">The invite as a QR code (an SVG document).</param>
public sealed record OpenDoorAnswer(DoorView Door, string? Invite, string? InviteQrSvg);
