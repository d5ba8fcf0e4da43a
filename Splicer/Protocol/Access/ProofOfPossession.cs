using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;
using Splicer.Handshake;

namespace Splicer.Access;

/// <summary>
/// The device's proof, sent in the same line as its credential (no extra round trip), that it holds the
/// private key the credential is bound to: an Ed25519 signature over a short text naming what it is for
/// (docs/protocols.md, "Native handshake"), so it cannot be replayed for another token, side, credential, relay
/// or time. Its time must lie within the relay's allowed clock skew.
/// </summary>
public static class ProofOfPossession
{
    public const int SignatureLength = 64;

    /// <summary>What the device signs to relay: <c>TOKEN</c> and <c>CREDENTIAL</c> enter only as SHA-256 hashes.</summary>
    public static byte[] RelayMessage(string token, string side, string credential, string relayName, long time) => Text(
        "splicer relay proof v1",
        ("token-sha256", Sha256Hex(Encoding.ASCII.GetBytes(token))),
        ("side", side),
        ("credential-sha256", Sha256Hex(Encoding.ASCII.GetBytes(credential))),
        ("relay", relayName),
        ("time", time.ToString(CultureInfo.InvariantCulture)));

    /// <summary>What the device signs to redeem an invite: the secret enters only as its SHA-256 hash.</summary>
    public static byte[] JoinMessage(ReadOnlySpan<byte> inviteSecret, string devicePublicKey, string name, string relayName, long time) => Text(
        "splicer join proof v1",
        ("invite-sha256", Sha256Hex(inviteSecret)),
        ("device-key", devicePublicKey),
        ("name", name),
        ("relay", relayName),
        ("time", time.ToString(CultureInfo.InvariantCulture)));

    public static byte[] RelayMessage(NativeRelayRequest request, string relayName) =>
        RelayMessage(request.Token, request.Side, request.Credential, relayName, request.Time);

    /// <summary>Signs <paramref name="message"/> with the device key: the PROOF field, 86 base64url characters.</summary>
    public static string Sign(DeviceKey device, ReadOnlySpan<byte> message) => Base64UrlText.Encode(device.Sign(message));

    /// <summary>True when <paramref name="proof"/> is the device's signature of <paramref name="message"/>.</summary>
    public static bool Verify(ReadOnlySpan<byte> devicePublicKey, ReadOnlySpan<byte> message, string proof) =>
        Base64UrlText.TryDecode(proof, SignatureLength, out var signature)
        && PublicKey.TryImport(SignatureAlgorithm.Ed25519, devicePublicKey, KeyBlobFormat.RawPublicKey, out var key)
        && SignatureAlgorithm.Ed25519.Verify(key!, message, signature);

    /// <summary>True when <paramref name="time"/> (Unix seconds) is within <paramref name="skew"/> of <paramref name="now"/>, either way.</summary>
    public static bool IsWithinSkew(long time, DateTimeOffset now, TimeSpan skew) =>
        Math.Abs((double)time - now.ToUnixTimeSeconds()) <= skew.TotalSeconds;

    public static long UnixTime(DateTimeOffset at) => at.ToUnixTimeSeconds();

    private static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static byte[] Text(string title, params (string Name, string Value)[] lines)
    {
        var text = new StringBuilder(title).Append('\n');
        foreach (var (name, value) in lines)
        {
            text.Append(name).Append(": ").Append(value).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
