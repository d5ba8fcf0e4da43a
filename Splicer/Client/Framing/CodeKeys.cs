using System.Security.Cryptography;
using System.Text;

namespace Splicer.Client.Framing;

/// <summary>
/// What the code turns into, by HKDF-SHA256 (docs/protocols.md, "End-to-end protection"): the pairing token the relay sees
/// for each purpose, and the per-direction keys of one session. The relay never sees the code, and the token
/// tells it nothing about the keys.
/// </summary>
public sealed class CodeKeys(PairingCode code)
{
    private static readonly byte[] CodeSalt = "splicer code v1"u8.ToArray();

    private readonly byte[] _root = HKDF.Extract(HashAlgorithmName.SHA256, code.Secret.Span.ToArray(), CodeSalt);

    /// <summary>The code itself, for messages to the person who typed it (never sent anywhere).</summary>
    public PairingCode Code { get; } = code;

    /// <summary>
    /// The 64 lower-case hex characters both peers present for <paramref name="purpose"/> (<c>pipe</c>,
    /// <c>transfer</c>, <c>expose/lobby</c>, …): different purposes never pair with each other.
    /// </summary>
    public string Token(string purpose) =>
        Convert.ToHexStringLower(HKDF.Expand(HashAlgorithmName.SHA256, _root, 32, Info("splicer token v1", purpose)));

    /// <summary>
    /// The key for the bytes sent by the peer that said <paramref name="senderHello"/>, in the session both
    /// hellos opened: fresh randomness from both sides, so a code used again never reuses a key and nonce.
    /// </summary>
    public byte[] SessionKey(string purpose, ReadOnlySpan<byte> helloA, ReadOnlySpan<byte> helloB, ReadOnlySpan<byte> senderHello)
    {
        var ordered = helloA.SequenceCompareTo(helloB) < 0;
        var salt = SHA256.HashData(ordered ? [.. helloA, .. helloB] : [.. helloB, .. helloA]);
        var prk = HKDF.Extract(HashAlgorithmName.SHA256, _root, salt);
        return HKDF.Expand(HashAlgorithmName.SHA256, prk, 32, Info("splicer e2e v1", purpose, Convert.ToHexStringLower(senderHello)));
    }

    private static byte[] Info(params string[] parts) => Encoding.UTF8.GetBytes(string.Join('\n', parts));
}
