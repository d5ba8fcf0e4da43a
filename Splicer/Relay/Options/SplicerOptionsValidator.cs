using System.Net;
using Microsoft.Extensions.Options;

namespace Splicer.Options;

/// <summary>Rejects a bad configuration at start-up, naming the key and the allowed range.</summary>
internal sealed class SplicerOptionsValidator : IValidateOptions<SplicerOptions>
{
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, SplicerOptions options)
    {
        var errors = new List<string>();

        Range(errors, "Port", options.Port, 0, 65535);
        Range(errors, "Backlog", options.Backlog, 1, 65535);
        Range(errors, "MaxConnections", options.MaxConnections, 1, 10_000_000);
        Range(errors, "MaxWaitingPerToken", options.MaxWaitingPerToken, 1, 1_000);
        Range(errors, "MaxConnectionsPerIp", options.MaxConnectionsPerIp, 1, 10_000_000);
        Range(errors, "IPv6SourcePrefix", options.IPv6SourcePrefix, 1, 128);
        if (options.SourceRate.Enabled)
        {
            Range(errors, "SourceRate:PerSecond", options.SourceRate.PerSecond, 1, 10_000_000);
            Range(errors, "SourceRate:Burst", options.SourceRate.Burst, 1, 10_000_000);
        }

        Duration(errors, "RefusalLogInterval", options.RefusalLogInterval);
        Duration(errors, "HandshakeTimeout", options.HandshakeTimeout);
        Duration(errors, "PairingTimeout", options.PairingTimeout);
        Duration(errors, "DrainTimeout", options.DrainTimeout, allowZero: true);
        if (options.IdleTimeout is { } idle)
        {
            Duration(errors, "IdleTimeout", idle);
        }

        if (!IPAddress.TryParse(options.Address, out _))
        {
            errors.Add($"Splicer:Address must be an IPv4 or IPv6 address such as '::' or '0.0.0.0' (was '{options.Address}').");
        }

        var keepAlive = options.KeepAlive;
        if (keepAlive.Enabled)
        {
            Range(errors, "KeepAlive:Idle", (int)keepAlive.Idle.TotalSeconds, 1, 32_767, " seconds");
            Range(errors, "KeepAlive:Interval", (int)keepAlive.Interval.TotalSeconds, 1, 32_767, " seconds");
            Range(errors, "KeepAlive:Probes", keepAlive.Probes, 1, 127);
        }

        if (!Enum.IsDefined(options.DataPath))
        {
            errors.Add($"Splicer:DataPath must be one of {string.Join(", ", Enum.GetNames<DataPath>())} (was '{options.DataPath}').");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Range(List<string> errors, string key, int value, int min, int max, string unit = "")
    {
        if (value < min || value > max)
        {
            errors.Add($"Splicer:{key} must be between {min} and {max}{unit} (was {value}).");
        }
    }

    private static void Duration(List<string> errors, string key, TimeSpan value, bool allowZero = false)
    {
        var tooSmall = allowZero ? value < TimeSpan.Zero : value <= TimeSpan.Zero;
        if (tooSmall || value > MaxTimeout)
        {
            var lower = allowZero ? "00:00:00" : "more than 00:00:00";
            errors.Add($"Splicer:{key} must be {lower} and at most {MaxTimeout:c} (was {value:c}).");
        }
    }
}
