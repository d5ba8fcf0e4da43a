using Microsoft.Extensions.Options;

namespace Splicer.Transport;

/// <summary>Rejects a bad <c>Splicer:WebSocket</c> section at start-up, naming the key.</summary>
internal sealed class WebSocketTransportOptionsValidator : IValidateOptions<WebSocketTransportOptions>
{
    private static readonly TimeSpan MaxKeepAlive = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, WebSocketTransportOptions options)
    {
        var errors = new List<string>();
        if (!options.Path.StartsWith('/') || options.Path.Any(character => character <= ' ' || character >= 0x7f || character is '?' or '#'))
        {
            errors.Add($"Splicer:WebSocket:Path must be an absolute path such as '/' or '/transit', without spaces, query or fragment (was '{options.Path}').");
        }

        foreach (var origin in options.AllowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.GetLeftPart(UriPartial.Authority) != origin.TrimEnd('/'))
            {
                errors.Add($"Splicer:WebSocket:AllowedOrigins entries must be origins such as 'https://example.org' (was '{origin}').");
            }
        }

        Duration(errors, "KeepAliveInterval", options.KeepAliveInterval);
        Duration(errors, "KeepAliveTimeout", options.KeepAliveTimeout);
        if (options.MaxRequestBytes is < 512 or > 65_536)
        {
            errors.Add($"Splicer:WebSocket:MaxRequestBytes must be between 512 and 65536 (was {options.MaxRequestBytes}).");
        }

        if (options.MaxMessageBytes is < 1024 or > 1 << 30)
        {
            errors.Add($"Splicer:WebSocket:MaxMessageBytes must be between 1024 and 1073741824 (was {options.MaxMessageBytes}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Duration(List<string> errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero || value > MaxKeepAlive)
        {
            errors.Add($"Splicer:WebSocket:{key} must be more than 00:00:00 and at most {MaxKeepAlive:c} (was {value:c}).");
        }
    }
}
