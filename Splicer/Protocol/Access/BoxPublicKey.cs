using System.Security.Cryptography;
using NSec.Cryptography;

namespace Splicer.Access;

/// <summary>
/// A public key of the box (the relay's own Ed25519 key), with the two short names derived from it:
/// the key id that credentials carry (the first 8 bytes of its SHA-256) and the fingerprint that
/// invites carry (the first 16 bytes, base64url).
/// </summary>
public sealed class BoxPublicKey
{
    public const int KeyIdLength = 8;
    public const int FingerprintLength = 16;

    private BoxPublicKey(PublicKey key, byte[] raw, DateTimeOffset? retiredAt, DateTimeOffset? trustedUntil)
    {
        Key = key;
        Raw = raw;
        var hash = SHA256.HashData(raw);
        KeyId = hash[..KeyIdLength];
        FingerprintBytes = hash[..FingerprintLength];
        Fingerprint = Base64UrlText.Encode(hash.AsSpan(0, FingerprintLength));
        RetiredAt = retiredAt;
        TrustedUntil = trustedUntil;
    }

    public PublicKey Key { get; }

    /// <summary>The 32 raw bytes of the public key.</summary>
    public ReadOnlyMemory<byte> Raw { get; }

    public ReadOnlyMemory<byte> KeyId { get; }

    public ReadOnlyMemory<byte> FingerprintBytes { get; }

    /// <summary>22 base64url characters; what an invite carries and what people compare.</summary>
    public string Fingerprint { get; }

    /// <summary>When rotation retired this key; null for the current key.</summary>
    public DateTimeOffset? RetiredAt { get; }

    /// <summary>Until when credentials signed by this retired key are still accepted; null for the current key.</summary>
    public DateTimeOffset? TrustedUntil { get; }

    public bool IsTrustedAt(DateTimeOffset now) => TrustedUntil is not { } until || now < until;

    public static BoxPublicKey FromRaw(ReadOnlySpan<byte> raw, DateTimeOffset? retiredAt = null, DateTimeOffset? trustedUntil = null) =>
        new(PublicKey.Import(SignatureAlgorithm.Ed25519, raw, KeyBlobFormat.RawPublicKey), raw.ToArray(), retiredAt, trustedUntil);

    public static BoxPublicKey From(PublicKey key, DateTimeOffset? retiredAt = null, DateTimeOffset? trustedUntil = null) =>
        new(key, key.Export(KeyBlobFormat.RawPublicKey), retiredAt, trustedUntil);

    /// <summary>The fingerprint of a raw public key, for a client that received the key and holds an invite.</summary>
    public static string FingerprintOf(ReadOnlySpan<byte> raw) => Base64UrlText.Encode(SHA256.HashData(raw).AsSpan(0, FingerprintLength));

    public override string ToString() => Fingerprint;
}

/// <summary>
/// The box public keys a verifier trusts: the current one and those retired by rotation that have not
/// run out. This is all a node needs to check credentials; it never needs a private key.
/// </summary>
public sealed class BoxPublicKeySet(IReadOnlyList<BoxPublicKey> keys)
{
    public IReadOnlyList<BoxPublicKey> Keys { get; } = keys;

    /// <summary>The key with this id, if it is trusted at <paramref name="now"/>.</summary>
    public BoxPublicKey? Find(ReadOnlySpan<byte> keyId, DateTimeOffset now)
    {
        foreach (var key in Keys)
        {
            if (key.KeyId.Span.SequenceEqual(keyId) && key.IsTrustedAt(now))
            {
                return key;
            }
        }

        return null;
    }
}

/// <summary>Where a verifier gets the box public keys it trusts (the key ring on the box itself; a file elsewhere).</summary>
public interface IBoxPublicKeys
{
    BoxPublicKeySet PublicKeys { get; }
}
