using System.Globalization;
using System.Text;

namespace Splicer.Handshake;

/// <summary>The lines the relay sends back to a native handshake (README, "Native handshake").</summary>
internal static class NativeAnswers
{
    public const int MaxTextLength = 200;

    /// <summary>Sent when the partner arrives; every byte after it is the partner's.</summary>
    public static readonly ReadOnlyMemory<byte> Paired = "paired\n"u8.ToArray();

    /// <summary><c>ok expires=UNIX|never bytes=N|unlimited sessions=N|unlimited\n</c>: let in, waiting for the partner.</summary>
    public static byte[] Accepted(DateTimeOffset? expiresAt, long? bytesRemaining, long? sessionsRemaining) =>
        Line($"ok expires={Expiry(expiresAt)} bytes={Amount(bytesRemaining)} sessions={Amount(sessionsRemaining)}");

    /// <summary><c>ok identity=ID door=ID expires=UNIX box=KEY credential=CREDENTIAL\n</c>: the invite was redeemed.</summary>
    public static byte[] Joined(long identityId, long doorId, DateTimeOffset expiresAt, string boxPublicKey, string credential) =>
        Line($"ok identity={identityId} door={doorId} expires={Expiry(expiresAt)} box={boxPublicKey} credential={credential}");

    /// <summary><c>refused WORD TEXT\n</c>; the text is cut to printable ASCII, at most <see cref="MaxTextLength"/> characters.</summary>
    public static byte[] Refused(string word, string text) => Line($"refused {word} {Printable(text)}");

    private static string Expiry(DateTimeOffset? at) =>
        at is { } time ? time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) : "never";

    private static string Amount(long? amount) =>
        amount is { } value ? value.ToString(CultureInfo.InvariantCulture) : "unlimited";

    private static string Printable(string text)
    {
        var printable = new StringBuilder(Math.Min(text.Length, MaxTextLength));
        foreach (var character in text)
        {
            if (printable.Length == MaxTextLength)
            {
                break;
            }

            printable.Append(character is >= ' ' and <= '~' ? character : '?');
        }

        return printable.ToString();
    }

    private static byte[] Line(string text) => Encoding.ASCII.GetBytes(text + "\n");
}
