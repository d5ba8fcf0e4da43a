using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Splicer.Fleet;

/// <summary>Where a node's splice port is reached: a host name or address and a port.</summary>
public readonly record struct NodeAddress(string Host, int Port)
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out NodeAddress? address)
    {
        address = null;
        var colon = text?.LastIndexOf(':') ?? -1;
        if (colon <= 0 || text![..colon].Any(char.IsWhiteSpace)
            || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return false;
        }

        address = new NodeAddress(text[..colon].Trim('[', ']'), port);
        return true;
    }

    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
