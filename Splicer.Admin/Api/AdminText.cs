using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Splicer.Admin.Hosting;
using Splicer.Text;

namespace Splicer.Admin.Api;

/// <summary>
/// How durations, sizes and address prefixes are written to the admin API and the CLI: one reading,
/// shared by both, so <c>30m</c> means the same in a request body and on a command line.
/// </summary>
public static partial class AdminText
{
    /// <summary>The product name in the CLI's User-Agent; the audit log names such calls <c>cli</c>.</summary>
    public const string CliUserAgent = "splicer-cli";

    /// <summary>The reason a door is closed with when none is given.</summary>
    public const string DefaultCloseReason = "closed by the owner";

    /// <summary>The longest a door may be opened for at once.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(366);

    /// <summary>A duration as <see cref="Durations.TryParse"/> reads it, at most <see cref="MaxDuration"/>.</summary>
    public static bool TryParseDuration(string? text, out TimeSpan duration) => Durations.TryParse(text, MaxDuration, out duration);

    /// <summary>The lowest bandwidth cap the relay paces at (the engine's <c>LimitsOptionsValidator.MinBytesPerSecond</c>).</summary>
    public const long MinBytesPerSecond = 1024;

    /// <summary>A byte count as <see cref="ByteSizes.TryParse"/> reads it.</summary>
    public static bool TryParseBytes(string? text, out long bytes) => ByteSizes.TryParse(text, out bytes);

    /// <summary>
    /// An address prefix an address door admits: <c>203.0.113.0/24</c>, <c>2001:db8::/48</c>, or one address
    /// (a /32 or /128). Host bits must be zero. IPv4-mapped IPv6 is read as IPv4.
    /// </summary>
    public static bool TryParsePrefix(string? text, out IPNetwork prefix, out string? problem)
    {
        prefix = default;
        problem = null;
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            problem = "an address door needs addressPrefix, e.g. 203.0.113.0/24 or 203.0.113.7";
            return false;
        }

        var slash = trimmed.IndexOf('/');
        var addressText = slash < 0 ? trimmed : trimmed[..slash];
        if (!IPAddress.TryParse(addressText, out var address) || addressText.Contains('%'))
        {
            problem = $"'{trimmed}' is not an IP address or prefix";
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var length = bits;
        if (slash >= 0 && (!int.TryParse(trimmed[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > bits))
        {
            problem = $"'{trimmed}' has a prefix length that is not 0 to {bits}";
            return false;
        }

        var network = Masked(address, length);
        if (!network.Equals(address))
        {
            problem = $"'{trimmed}' has bits set after its /{length}; did you mean {network}/{length}?";
            return false;
        }

        prefix = new IPNetwork(network, length);
        return true;
    }

    /// <summary>A name for a door or an identity: 1 to 100 characters, no control characters, no surrounding spaces.</summary>
    public static bool IsName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 100 && name.Trim() == name && !name.Any(char.IsControl);

    private static IPAddress Masked(IPAddress address, int length)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(length - i * 8, 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }
}
