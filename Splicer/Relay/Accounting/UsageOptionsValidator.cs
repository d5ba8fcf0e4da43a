using Microsoft.Extensions.Options;

namespace Splicer.Accounting;

/// <summary>Rejects usage settings out of range, naming the key.</summary>
internal sealed class UsageOptionsValidator : IValidateOptions<UsageOptions>
{
    public ValidateOptionsResult Validate(string? name, UsageOptions options)
    {
        var errors = new List<string>();
        if (options.CheckpointInterval < TimeSpan.FromSeconds(1) || options.CheckpointInterval > TimeSpan.FromHours(1))
        {
            errors.Add($"{UsageOptions.SectionName}:CheckpointInterval must be between 00:00:01 and 01:00:00 (was {options.CheckpointInterval:c}).");
        }

        if (options.RetentionDays is < 1 or > 36_500)
        {
            errors.Add($"{UsageOptions.SectionName}:RetentionDays must be between 1 and 36500 (was {options.RetentionDays}).");
        }

        if (options.Blur is { } blur && (blur < TimeSpan.FromSeconds(1) || blur > TimeSpan.FromDays(1)))
        {
            errors.Add($"{UsageOptions.SectionName}:Blur must be between 00:00:01 and 1.00:00:00, or unset (was {blur:c}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
