using Microsoft.Extensions.Options;

namespace Splicer.State;

/// <summary>Rejects a state directory that cannot be a folder, naming the key.</summary>
internal sealed class StateOptionsValidator : IValidateOptions<StateOptions>
{
    private const string Key = "Splicer:StateDirectory";

    public ValidateOptionsResult Validate(string? name, StateOptions options)
    {
        var configured = options.StateDirectory;
        if (configured is not null && (configured.Length == 0 || configured.Trim() != configured || configured.IndexOfAny(['\0', '\n', '\r']) >= 0))
        {
            return ValidateOptionsResult.Fail($"{Key} must be a folder path without surrounding spaces or control characters (was '{configured}').");
        }

        string? resolved;
        try
        {
            resolved = options.ResolveDirectory();
        }
        catch (Exception exception) when (exception is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return ValidateOptionsResult.Fail($"{Key} is not a usable folder path (was '{configured}'): {exception.Message}");
        }

        if (resolved is null)
        {
            return ValidateOptionsResult.Fail($"{Key} is not set, and neither STATE_DIRECTORY, XDG_STATE_HOME nor HOME names a folder to default to.");
        }

        if (File.Exists(resolved))
        {
            return ValidateOptionsResult.Fail($"{Key} must name a folder, but '{resolved}' is a file.");
        }

        return ValidateOptionsResult.Success;
    }
}
