using Microsoft.Extensions.Options;

namespace Splicer.Governance;

/// <summary>Rejects a cap that is not a positive rate, naming the key.</summary>
internal sealed class LimitsOptionsValidator : IValidateOptions<LimitsOptions>
{
    /// <summary>Below this a paced session would wait longer between steps than clients tolerate.</summary>
    public const long MinBytesPerSecond = 1024;

    public ValidateOptionsResult Validate(string? name, LimitsOptions options)
    {
        var errors = new List<string>();
        Rate(errors, nameof(LimitsOptions.TotalBytesPerSecond), options.TotalBytesPerSecond);
        Rate(errors, nameof(LimitsOptions.SessionBytesPerSecond), options.SessionBytesPerSecond);
        Rate(errors, nameof(LimitsOptions.AnonymousBytesPerSecondPerSource), options.AnonymousBytesPerSecondPerSource);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Rate(List<string> errors, string key, long? value)
    {
        if (value is { } rate && rate < MinBytesPerSecond)
        {
            errors.Add($"{LimitsOptions.SectionName}:{key} must be at least {MinBytesPerSecond} bytes per second, or unset for no cap (was {rate}).");
        }
    }
}
