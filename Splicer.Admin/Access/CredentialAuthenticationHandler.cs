using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Splicer.Admin.Access;

/// <summary>
/// Checks the configured credential: the password by HTTP Basic (the browser asks for it itself),
/// or the bearer token. Which one was used is kept as a claim, since only the bearer token may
/// skip the antiforgery check.
/// </summary>
internal sealed class CredentialAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<AdminOptions> adminOptions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "SplicerAdmin";
    public const string MethodClaim = "splicer:credential";
    public const string BearerMethod = "bearer";
    public const string PasswordMethod = "password";

    private readonly AdminOptions _admin = adminOptions.Value;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header) || header.Parameter is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var method = header.Scheme.ToLowerInvariant() switch
        {
            "bearer" when Matches(header.Parameter, _admin.BearerToken) => BearerMethod,
            "basic" when Matches(PasswordOf(header.Parameter), _admin.Password) => PasswordMethod,
            _ => null,
        };
        return Task.FromResult(method is null
            ? AuthenticateResult.Fail("wrong credential")
            : AuthenticateResult.Success(Ticket(method)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = string.IsNullOrEmpty(_admin.Password)
            ? "Bearer realm=\"Splicer admin\""
            : "Basic realm=\"Splicer admin\", charset=\"UTF-8\"";
        return Task.CompletedTask;
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
