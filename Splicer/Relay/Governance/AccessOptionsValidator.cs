using Microsoft.Extensions.Options;
using Splicer.Access;
using Splicer.Governance.Entry;

namespace Splicer.Governance;

/// <summary>Rejects a bad access configuration at start-up, naming the key and what it allows.</summary>
internal sealed class AccessOptionsValidator : IValidateOptions<AccessOptions>
{
    private static readonly TimeSpan MinClockSkew = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxClockSkew = TimeSpan.FromHours(1);
    private static readonly TimeSpan MinCredentialLifetime = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxCredentialLifetime = TimeSpan.FromDays(3660);

    public ValidateOptionsResult Validate(string? name, AccessOptions options)
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(options.Mode))
        {
            errors.Add($"{AccessOptions.SectionName}:Mode must be one of {string.Join(", ", Enum.GetNames<AccessMode>())} (was '{options.Mode}').");
        }

        Between(errors, "ClockSkew", options.ClockSkew, MinClockSkew, MaxClockSkew);
        Between(errors, "CredentialLifetime", options.CredentialLifetime, MinCredentialLifetime, MaxCredentialLifetime);
        if (!RelayNames.IsValid(options.EffectiveRelayName))
        {
            errors.Add($"{AccessOptions.SectionName}:RelayName must be 1 to {RelayNames.MaxLength} letters, digits or '.-_:' (was '{options.EffectiveRelayName}').");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Between(List<string> errors, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{AccessOptions.SectionName}:{key} must be between {min:c} and {max:c} (was {value:c}).");
        }
    }
}
