using Microsoft.Extensions.Options;
using Splicer.Admin;
using Splicer.Admin.Hosting;

namespace Splicer.Admin.Access;

/// <summary>
/// Rejects an admin configuration that would expose the relay's controls: an address other than
/// loopback needs a credential, and an allowed host must name one host (or its subdomains), not all.
/// </summary>
internal sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    private const int MinimumTokenLength = 16;

    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        var errors = new List<string>();
        if (!AdminUrl.TryGetHost(options.Url, out var host))
        {
            errors.Add($"Admin:Url must be an absolute http:// or https:// URL such as 'http://127.0.0.1:8080' (was '{options.Url}').");
        }
        else if (!AdminUrl.IsLoopback(host) && !options.HasCredential)
        {
            errors.Add($"Admin:Url '{options.Url}' is not a loopback address, so the admin needs a credential: " +
                       "set Admin:Password or Admin:BearerToken (or Admin:BearerTokenFile), or bind Admin:Url to 127.0.0.1 or [::1].");
        }

        for (var i = 0; i < options.AllowedHosts.Count; i++)
        {
            if (!AdminHosts.TryNormalize(options.AllowedHosts[i], out _))
            {
                errors.Add($"Admin:AllowedHosts:{i} must be a host name ('relay.example.net'), its subdomains ('*.example.net') " +
                           $"or an IP address ('192.0.2.7'), without scheme or port; '*' would let every host in (was '{options.AllowedHosts[i]}').");
            }
        }

        if (options.BearerTokenFileProblem is { } problem)
        {
            errors.Add(problem);
        }
        else if (options.BearerToken is { Length: > 0 and < MinimumTokenLength })
        {
            var key = options.BearerTokenFile is null ? "Admin:BearerToken" : $"The token in Admin:BearerTokenFile '{options.BearerTokenFile}'";
            errors.Add($"{key} must be at least {MinimumTokenLength} characters long (was {options.BearerToken.Length}).");
        }

        if (options.RecentSessions is < 0 or > 100_000)
        {
            errors.Add($"Admin:RecentSessions must be between 0 and 100000 (was {options.RecentSessions}).");
        }

        ValidateUpdate(options.Update, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateUpdate(AdminUpdateOptions update, List<string> errors)
    {
        if (update.MaxBundleBytes < 1 << 20)
        {
            errors.Add($"Admin:Update:MaxBundleBytes must be at least 1048576 (1 MiB) (was {update.MaxBundleBytes}).");
        }

        if (update.Directory is { Length: > 0 } directory && !Path.IsPathFullyQualified(directory))
        {
            errors.Add($"Admin:Update:Directory must be an absolute path (was '{directory}').");
        }

        if (!Path.IsPathFullyQualified(update.StatusDirectory))
        {
            errors.Add($"Admin:Update:StatusDirectory must be an absolute path (was '{update.StatusDirectory}').");
        }
    }
}
