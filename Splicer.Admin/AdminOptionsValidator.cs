using System.Net;
using Microsoft.Extensions.Options;

namespace Splicer.Admin;

/// <summary>
/// Rejects an admin configuration that would expose the relay's controls: an address other than
/// loopback needs a credential.
/// </summary>
internal sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    private const int MinimumTokenLength = 16;

    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        var errors = new List<string>();
        if (!TryGetHost(options.Url, out var host))
        {
            errors.Add($"Admin:Url must be an absolute http:// or https:// URL such as 'http://127.0.0.1:8080' (was '{options.Url}').");
        }
        else if (!IsLoopback(host) && !options.HasCredential)
        {
            errors.Add($"Admin:Url '{options.Url}' is not a loopback address, so the admin needs a credential: " +
                       "set Admin:Password or Admin:BearerToken, or bind Admin:Url to 127.0.0.1 or [::1].");
        }

        if (options.BearerToken is { Length: > 0 and < MinimumTokenLength })
        {
            errors.Add($"Admin:BearerToken must be at least {MinimumTokenLength} characters long (was {options.BearerToken.Length}).");
        }

        if (options.RecentSessions is < 0 or > 100_000)
        {
            errors.Add($"Admin:RecentSessions must be between 0 and 100000 (was {options.RecentSessions}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool TryGetHost(string url, out string host)
    {
        // Kestrel also takes the wildcards '+' and '*', which Uri does not parse as hosts.
        host = string.Empty;
        if (!Uri.TryCreate(url.Replace("://+", "://0.0.0.0").Replace("://*", "://0.0.0.0"), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https"))
        {
            return false;
        }

        host = uri.Host;
        return true;
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
