using Microsoft.Extensions.Options;

namespace Splicer.Governance;

/// <summary>Rejects a throttle floor too low to keep a client's connection alive, naming the key.</summary>
internal sealed class QuotaOptionsValidator : IValidateOptions<QuotaOptions>
{
    public ValidateOptionsResult Validate(string? name, QuotaOptions options) =>
        options.ThrottleBytesPerSecond < LimitsOptionsValidator.MinBytesPerSecond
            ? ValidateOptionsResult.Fail(
                $"{QuotaOptions.SectionName}:ThrottleBytesPerSecond must be at least {LimitsOptionsValidator.MinBytesPerSecond} bytes per second (was {options.ThrottleBytesPerSecond}).")
            : ValidateOptionsResult.Success;
}
