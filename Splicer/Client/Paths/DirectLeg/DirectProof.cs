using System.Security.Cryptography;
using System.Text;

namespace Splicer.Client.Paths.DirectLeg;

/// <summary>
/// Proves that a direct connection reaches the peer of this very session: each side sends
/// HMAC-SHA256(K, <c>splicer direct proof v1\n</c> ROLE), K = HKDF-SHA256 of the session's two direction keys
/// (lower first) with info <c>splicer direct v1</c>. ROLE is <c>lower</c> for the side whose sending key is the lower,
/// else <c>higher</c>, so a proof sent back to its sender does not pass. Only the two peers hold those keys.
/// </summary>
public sealed class DirectProof
{
    public const int Length = 32;

    private static readonly byte[] Info = "splicer direct v1"u8.ToArray();

    private readonly byte[] _key;

    public DirectProof(ReadOnlySpan<byte> sendKey, ReadOnlySpan<byte> receiveKey)
    {
        IsLower = sendKey.SequenceCompareTo(receiveKey) < 0;
        byte[] ordered = IsLower ? [.. sendKey, .. receiveKey] : [.. receiveKey, .. sendKey];
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, ordered, 32, salt: [], info: Info);
    }

    /// <summary>The side whose sending key is the lower chooses which direct connection the two use.</summary>
    public bool IsLower { get; }

    public byte[] Mine => Proof(IsLower);

    public bool IsPeers(ReadOnlySpan<byte> received) =>
        received.Length == Length && CryptographicOperations.FixedTimeEquals(received, Proof(!IsLower));

    private byte[] Proof(bool lower) =>
        HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes("splicer direct proof v1\n" + (lower ? "lower" : "higher")));
}
