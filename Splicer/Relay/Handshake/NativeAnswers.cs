using System.Globalization;
using System.Text;

namespace Splicer.Handshake;

/// <summary>The lines the relay sends back to a native handshake (docs/protocols.md, "Native handshake"); refusals are <see cref="Endings.Refusal"/>'s.</summary>
internal static class NativeAnswers
{
    /// <summary>Sent when the partner arrives; every byte after it is the partner's.</summary>
    public static readonly ReadOnlyMemory<byte> Paired = "paired\n"u8.ToArray();

    /// <summary>
    /// <c>paired peer=ENDPOINT[,ENDPOINT…] wait=MS[ report=TICKET] nat=CLASS peer-nat=CLASS\n</c>: as <see cref="Paired"/>, to
    /// a side that asked for a brokered direct path and whose partner did too: where the partner can be dialled (the
    /// endpoint the relay sees first), how many milliseconds to wait first, the ticket to report the outcome with
    /// (<c>splicer 1 punched TICKET OUTCOME</c>), and what each side's network does to ports (<see cref="NatBehaviour"/>).
    /// </summary>
    public static byte[] PairedWithAdvice(
        IEnumerable<System.Net.IPEndPoint> partner, TimeSpan wait, string? ticket, NatBehaviour own, NatBehaviour partners) =>
        Line($"paired peer={string.Join(',', partner)} wait={(long)Math.Round(wait.TotalMilliseconds, MidpointRounding.AwayFromZero)}"
            + (ticket is null ? "" : $" report={ticket}") + $" nat={own.Name()} peer-nat={partners.Name()}");

    /// <summary>
    /// <c>ok expires=UNIX|never bytes=N|unlimited sessions=N|unlimited rate=N|unlimited concurrent=N|unlimited spent=cut|throttle\n</c>:
    /// let in, waiting for the partner. <c>bytes</c> is the least the door's allowance and the quotas leave,
    /// <c>sessions</c> the door's sessions left, <c>rate</c> the lowest bandwidth cap in bytes a second,
    /// <c>concurrent</c> the sessions that may still run at once, <c>spent</c> what a quota running out does.
    /// </summary>
    public static byte[] Accepted(DateTimeOffset? expiresAt, long? bytesRemaining, long? sessionsRemaining, long? bytesPerSecond, long? concurrent, bool throttleWhenSpent) =>
        Line($"ok expires={Expiry(expiresAt)} bytes={Amount(bytesRemaining)} sessions={Amount(sessionsRemaining)} rate={Amount(bytesPerSecond)} concurrent={Amount(concurrent)} spent={(throttleWhenSpent ? "throttle" : "cut")}");

    /// <summary><c>ok identity=ID door=ID expires=UNIX box=KEY credential=CREDENTIAL\n</c>: the invite was redeemed.</summary>
    public static byte[] Joined(long identityId, long doorId, DateTimeOffset expiresAt, string boxPublicKey, string credential) =>
        Line($"ok identity={identityId} door={doorId} expires={Expiry(expiresAt)} box={boxPublicKey} credential={credential}");

    private static string Expiry(DateTimeOffset? at) =>
        at is { } time ? time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) : "never";

    private static string Amount(long? amount) =>
        amount is { } value ? value.ToString(CultureInfo.InvariantCulture) : "unlimited";

    private static byte[] Line(string text) => Encoding.ASCII.GetBytes(text + "\n");
}
