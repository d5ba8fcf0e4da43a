using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Splicer.Admin;
using Splicer.Admin.Access;
using Splicer.Admin.Api;
using Splicer.Admin.Hosting;
using Splicer.Client.Verbs;

namespace Splicer.Cli;

/// <summary>Where the admin is and how to sign in to it, from the command line, the environment or the configuration.</summary>
internal sealed record AdminConnection(Uri BaseAddress, string? Token, string? Password)
{
    /// <summary>Where the token or password came from (<c>--token-file FILE</c>, <c>$SPLICER_ADMIN_TOKEN</c>, …), to say which one a refusal is about.</summary>
    public string? CredentialSource { get; init; }

    public const string TokenVariable = "SPLICER_ADMIN_TOKEN";
    public const string TokenFileVariable = "SPLICER_ADMIN_TOKEN_FILE";
    public const string PasswordVariable = "SPLICER_ADMIN_PASSWORD";

    /// <summary>
    /// <paramref name="admin"/>, else <c>Admin:Url</c> as the server reads it (appsettings.json beside the
    /// program, then environment variables such as <c>Admin__Url</c>); a wildcard host means this machine.
    /// The token: <paramref name="token"/>, else the file <paramref name="tokenFile"/>, else <c>$SPLICER_ADMIN_TOKEN</c>,
    /// else the file <c>$SPLICER_ADMIN_TOKEN_FILE</c>, else <c>Admin:BearerToken</c>, else the file <c>Admin:BearerTokenFile</c>
    /// (what the server reads); the password: <c>$SPLICER_ADMIN_PASSWORD</c>, else <c>Admin:Password</c>.
    /// </summary>
    public static AdminConnection Resolve(string? admin, string? token, string? tokenFile = null)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
        var url = admin ?? configuration["Admin:Url"] ?? new AdminOptions().Url;
        var fileVariable = Environment.GetEnvironmentVariable(TokenFileVariable);
        var (tokenSource, foundToken) = First(
            ("--token", () => NonEmpty(token)),
            ($"--token-file {tokenFile}", () => FromFile("--token-file", tokenFile)),
            ("$" + TokenVariable, () => NonEmpty(Environment.GetEnvironmentVariable(TokenVariable))),
            ($"${TokenFileVariable} ({fileVariable})", () => FromFile("$" + TokenFileVariable, fileVariable)),
            ("Admin:BearerToken", () => NonEmpty(configuration["Admin:BearerToken"])),
            ($"Admin:BearerTokenFile ({configuration["Admin:BearerTokenFile"]})", () => FromFile("Admin:BearerTokenFile", configuration["Admin:BearerTokenFile"])));
        var (passwordSource, password) = First(
            ("$" + PasswordVariable, () => NonEmpty(Environment.GetEnvironmentVariable(PasswordVariable))),
            ("Admin:Password", () => NonEmpty(configuration["Admin:Password"])));
        return new AdminConnection(ToReachable(url), foundToken, password) { CredentialSource = foundToken is null ? passwordSource : tokenSource };
    }

    /// <summary>The first place that holds a value, in order, and the value; each is read only if those before it held none.</summary>
    private static (string? Source, string? Value) First(params (string Source, Func<string?> Read)[] places)
    {
        foreach (var (source, read) in places)
        {
            if (read() is { } value)
            {
                return (source, value);
            }
        }

        return (null, null);
    }

    /// <summary>The first of <c>Admin:Url</c>'s URLs, with a listen-on-everything host replaced by loopback.</summary>
    public static Uri ToReachable(string url)
    {
        var first = url.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        first = first.Replace("://*", "://127.0.0.1").Replace("://+", "://127.0.0.1").Replace("://0.0.0.0", "://127.0.0.1").Replace("://[::]", "://[::1]");
        if (!Uri.TryCreate(first, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new CliFailure($"'{url}' is not an http:// or https:// URL of the admin (--admin or Admin:Url)", CliExit.Usage);
        }

        return new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>The token in <paramref name="path"/> (by the server's rules: owner-only, one line); null when no path is given.</summary>
    private static string? FromFile(string key, string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        return TokenFile.TryRead(key, Path.GetFullPath(path), out var problem) ?? throw new CliFailure(problem!, CliExit.Usage);
    }
}

/// <summary>
/// The admin JSON API as the CLI uses it: the bearer token (no antiforgery needed), or the password with
/// the antiforgery token fetched first, as the pages do. Errors become <see cref="CliFailure"/>s that
/// name the reason the admin gave.
/// </summary>
internal sealed class AdminClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = AdminJson.Default.Options;

    private readonly HttpClient _http;
    private readonly AdminConnection _connection;
    private AntiforgeryToken? _antiforgery;

    public AdminClient(AdminConnection connection)
    {
        _connection = connection;
        _http = new HttpClient(new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = connection.BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var version = typeof(AdminClient).Assembly.GetName().Version?.ToString(3) ?? "0";
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue(AdminText.CliUserAgent, version));
        if (connection.Token is { } token)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (connection.Password is { } password)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("cli:" + password)));
        }
    }

    /// <summary>GETs <paramref name="path"/>; returns the answer's JSON text.</summary>
    public Task<string> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public Task<string> PostAsync(string path, object? body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, body, cancellationToken);

    public Task<string> PutAsync(string path, object? body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, path, body, cancellationToken);

    public Task<string> DeleteAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, path, null, cancellationToken);

    public static T Read<T>(string json) =>
        JsonSerializer.Deserialize(json, AdminJson.Info<T>(Json)) ?? throw new CliFailure("the admin answered with nothing");

    public void Dispose() => _http.Dispose();

    private async Task<string> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, Json.GetTypeInfo(body.GetType()));
        }

        try
        {
            if (method != HttpMethod.Get && _connection.Token is null)
            {
                _antiforgery ??= Read<AntiforgeryToken>(await SendAsync(HttpMethod.Get, "api/antiforgery", null, cancellationToken));
                request.Headers.Add(_antiforgery.HeaderName, _antiforgery.Token);
            }

            using var response = await _http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return text;
            }

            throw response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => new CliFailure(Unauthorized(Problem(text, response))),
                HttpStatusCode.BadRequest => new CliFailure(Problem(text, response), CliExit.Usage),
                _ => new CliFailure(Problem(text, response)),
            };
        }
        catch (HttpRequestException exception)
        {
            throw new CliFailure($"cannot reach the admin at {_http.BaseAddress}: {exception.Message} (set --admin or Admin:Url)");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliFailure($"the admin at {_http.BaseAddress} did not answer in {_http.Timeout.TotalSeconds:0} s");
        }
    }

    /// <summary>A credential that was sent and refused names where it came from; none sent says where one may come from.</summary>
    private string Unauthorized(string reason) => _connection.CredentialSource is { } source
        ? $"the admin at {_http.BaseAddress} refused the credential from {source}: {reason}"
        : $"the admin at {_http.BaseAddress} wants a credential ({reason}): pass --token-file FILE, "
            + $"or set {AdminConnection.TokenFileVariable}, {AdminConnection.TokenVariable} or {AdminConnection.PasswordVariable}";

    private static string Problem(string text, HttpResponseMessage response)
    {
        try
        {
            using var problem = JsonDocument.Parse(text);
            var root = problem.RootElement;
            var title = root.TryGetProperty("title", out var t) ? t.GetString() : null;
            var detail = root.TryGetProperty("detail", out var d) ? d.GetString() : null;
            return detail is null ? title ?? $"{(int)response.StatusCode} {response.ReasonPhrase}" : $"{title}: {detail}";
        }
        catch (JsonException)
        {
            return $"{(int)response.StatusCode} {response.ReasonPhrase}";
        }
    }
}
