using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Splicer.Admin.Hosting;

namespace Splicer.Admin.Access;

/// <summary>
/// Checks the configured credential: the password by HTTP Basic (the browser asks for it itself),
/// or the bearer token. Which one was used is kept as a claim, since only the bearer token may
/// skip the antiforgery check. Wrong credentials are slowed down per source (<see cref="FailedLoginThrottle"/>);
/// a try refused as one too many is answered 429 with Retry-After. A 401 says which it was: no credential
/// sent, or a wrong one (<c>error="invalid_token"</c> for a bearer token, as RFC 6750 has it), in its title.
/// </summary>
internal sealed class CredentialAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<AdminOptions> adminOptions,
    FailedLoginThrottle throttle)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "SplicerAdmin";
    public const string MethodClaim = "splicer:credential";
    public const string BearerMethod = "bearer";
    public const string PasswordMethod = "password";

    private readonly AdminOptions _admin = adminOptions.Value;
    private bool _refused;
    private string? _wrongMethod;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!_admin.HasCredential || !TryReadCredential(out var method, out var presented))
        {
            return AuthenticateResult.NoResult();
        }

        var expected = method == BearerMethod ? _admin.BearerToken : _admin.Password;
        var outcome = await throttle.CheckAsync(Context.Connection.RemoteIpAddress, () => Matches(presented, expected), Context.RequestAborted);
        _refused = outcome == LoginOutcome.Refused;
        _wrongMethod = outcome == LoginOutcome.Rejected ? method : null;
        return outcome switch
        {
            LoginOutcome.Accepted => AuthenticateResult.Success(Ticket(method)),
            LoginOutcome.Rejected => AuthenticateResult.Fail("wrong credential"),
            _ => AuthenticateResult.Fail("too many failed logins from this source"),
        };
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (_refused)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = ((int)Math.Ceiling(throttle.Limits.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = string.IsNullOrEmpty(_admin.Password) || _wrongMethod == BearerMethod
            ? "Bearer realm=\"Splicer admin\"" + (_wrongMethod == BearerMethod ? ", error=\"invalid_token\"" : "")
            : "Basic realm=\"Splicer admin\", charset=\"UTF-8\"";
        return WriteProblemAsync(_wrongMethod switch
        {
            BearerMethod => WrongToken,
            PasswordMethod => WrongPassword,
            _ => NothingSent(),
        });
    }

    public const string WrongToken = "the admin token is wrong";
    public const string WrongPassword = "the admin password is wrong";

    /// <summary>Names what this admin takes, so a person knows what to send.</summary>
    private string NothingSent() => (string.IsNullOrEmpty(_admin.BearerToken), string.IsNullOrEmpty(_admin.Password)) switch
    {
        (false, false) => "no admin token or password was sent",
        (false, true) => "no admin token was sent",
        _ => "no admin password was sent",
    };

    private async Task WriteProblemAsync(string title)
    {
        Response.ContentType = "application/problem+json";
        await using var json = new Utf8JsonWriter(Response.Body);
        json.WriteStartObject();
        json.WriteNumber("status", Response.StatusCode);
        json.WriteString("title", title);
        json.WriteEndObject();
    }

    /// <summary>A bearer token or a Basic password; another scheme is no try at our credential.</summary>
    private bool TryReadCredential([NotNullWhen(true)] out string? method, out string? presented)
    {
        (method, presented) = (null, null);
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header) || header.Parameter is null)
        {
            return false;
        }

        (method, presented) = header.Scheme.ToLowerInvariant() switch
        {
            "bearer" => (BearerMethod, header.Parameter),
            "basic" => (PasswordMethod, PasswordOf(header.Parameter)),
            _ => (null, null),
        };
        return method is not null;
    }

    private AuthenticationTicket Ticket(string method)
    {
        // A fixed name: antiforgery tokens are bound to the user, and the owner is one user.
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, "owner"), new Claim(MethodClaim, method)], SchemeName);
        return new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName);
    }

    private static string? PasswordOf(string basicParameter)
    {
        try
        {
            var userAndPassword = Encoding.UTF8.GetString(Convert.FromBase64String(basicParameter));
            var colon = userAndPassword.IndexOf(':');
            return colon < 0 ? null : userAndPassword[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Compares in constant time; hashing first hides the expected length too.</summary>
    private static bool Matches(string? presented, string? expected)
    {
        if (string.IsNullOrEmpty(presented) || string.IsNullOrEmpty(expected))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }
}
