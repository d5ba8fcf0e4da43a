using Microsoft.Extensions.Options;
using Splicer.Text;

namespace Splicer.Fleet;

/// <summary>A fleet node's settings, checked at start-up so that a node never joins half-configured.</summary>
internal sealed class FleetOptionsValidator : IValidateOptions<FleetOptions>
{
    public ValidateOptionsResult Validate(string? name, FleetOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var errors = new List<string>();
        foreach (var server in options.Nats!.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || uri.Scheme is not ("nats" or "tls") || uri.Port <= 0)
            {
                errors.Add($"Splicer:Fleet:Nats must be nats://HOST:PORT or tls://HOST:PORT, comma-separated (was '{server}').");
            }
        }

        if (!HostAndPort.TryParse(options.Address, out _))
        {
            errors.Add($"Splicer:Fleet:Address must be host:port, where other nodes reach this node's splice port (was '{options.Address}').");
        }

        if (string.IsNullOrWhiteSpace(options.NodeId) || options.NodeId.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            errors.Add($"Splicer:Fleet:NodeId must be letters, digits, '-' or '_' (was '{options.NodeId}').");
        }

        if (options.CredentialsFile is { Length: > 0 } credentials && !File.Exists(credentials))
        {
            errors.Add($"Splicer:Fleet:CredentialsFile does not exist (was '{credentials}').");
        }

        if (options.RefreshEvery <= TimeSpan.Zero || options.RecordLifetime < 3 * options.RefreshEvery)
        {
            errors.Add($"Splicer:Fleet:RecordLifetime must be at least three times Splicer:Fleet:RefreshEvery (were {options.RecordLifetime} and {options.RefreshEvery}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
