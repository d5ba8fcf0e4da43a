using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Splicer.Text;

/// <summary><c>host:port</c> as an owner writes it (an IPv6 host may be in brackets): a fleet node's address, an invite's address.</summary>
public readonly record struct HostAndPort(string Host, int Port)
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out HostAndPort? address)
    {
        address = null;
        var colon = text?.LastIndexOf(':') ?? -1;
        if (colon <= 0 || text![..colon].Any(char.IsWhiteSpace)
            || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return false;
        }

        address = new HostAndPort(text[..colon].Trim('[', ']'), port);
        return true;
    }

    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
