using System.Buffers.Binary;
using NSec.Cryptography;
using Splicer.Endings;

namespace Splicer.Access;

/// <summary>
/// What a client presents: signed by the box key, it names an identity and a door, carries its expiry,
/// and is bound to the device's public key, so that only the holder of that device's private key can
/// use it (see <see cref="ProofOfPossession"/>).
/// </summary>
/// <remarks>
/// Encoding, version 1: unpadded base64url (183 characters) of 137 bytes, integers big-endian:
/// <code>
///   0   1  version (1)
///   1   8  box key id: the first 8 bytes of SHA-256(box public key)
///   9   8  identity id
///  17   8  door id
///  25   8  issued at, Unix seconds
///  33   8  expires at, Unix seconds
///  41  32  device public key (Ed25519, raw)
///  73  64  Ed25519 signature by the box key over ASCII "splicer credential v1\n" followed by bytes 0..72
/// </code>
/// </remarks>
public sealed record Credential(
    ReadOnlyMemory<byte> BoxKeyId,
    long IdentityId,
    long DoorId,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt,
    ReadOnlyMemory<byte> DevicePublicKey)
{
    public const byte Version = 1;
    public const int SignedLength = 73;
    public const int SignatureLength = 64;
    public const int ByteLength = SignedLength + SignatureLength;
    public const int TextLength = 183;

    private static ReadOnlySpan<byte> Domain => "splicer credential v1\n"u8;

    public bool HasExpiredAt(DateTimeOffset now) => now >= ExpiresAt;

    /// <summary>Signs a credential with a box key and returns its one-line text.</summary>
    public static string Issue(
        BoxSigner signer, long identityId, long doorId, ReadOnlySpan<byte> devicePublicKey, DateTimeOffset issuedAt, DateTimeOffset expiresAt)
    {
        var bytes = new byte[ByteLength];
        Write(bytes, signer.PublicKey.KeyId.Span, identityId, doorId, issuedAt, expiresAt, devicePublicKey);
        var signature = signer.Sign(SignedMessage(bytes));
        signature.CopyTo(bytes.AsSpan(SignedLength));
        return Base64UrlText.Encode(bytes);
    }

    /// <summary>
    /// Reads and checks a credential against the trusted box keys: null when it is genuine and unexpired,
    /// else <c>malformed</c>, <c>bad_signature</c> or <c>credential_expired</c>.
    /// </summary>
    public static Refusal? TryVerify(string text, BoxPublicKeySet trusted, DateTimeOffset now, out Credential? credential)
    {
        credential = null;
        if (!Base64UrlText.TryDecode(text, ByteLength, out var bytes) || bytes[0] != Version)
        {
            return Refusal.Malformed;
        }

        var key = trusted.Find(bytes.AsSpan(1, BoxPublicKey.KeyIdLength), now);
        if (key is null || !SignatureAlgorithm.Ed25519.Verify(key.Key, SignedMessage(bytes), bytes.AsSpan(SignedLength)))
        {
            return Refusal.BadSignature;
        }

        if (!TryRead(bytes, out var read))
        {
            return Refusal.Malformed;
        }

        credential = read;
        return read.HasExpiredAt(now) ? Refusal.CredentialExpired : null;
    }

    private static void Write(byte[] bytes, ReadOnlySpan<byte> keyId, long identityId, long doorId, DateTimeOffset issuedAt, DateTimeOffset expiresAt, ReadOnlySpan<byte> devicePublicKey)
    {
        if (devicePublicKey.Length != 32)
        {
            throw new ArgumentException("An Ed25519 public key is 32 bytes.", nameof(devicePublicKey));
        }

        bytes[0] = Version;
        keyId.CopyTo(bytes.AsSpan(1));
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(9), identityId);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(17), doorId);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(25), issuedAt.ToUnixTimeSeconds());
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(33), expiresAt.ToUnixTimeSeconds());
        devicePublicKey.CopyTo(bytes.AsSpan(41));
    }

    private static bool TryRead(byte[] bytes, out Credential credential)
    {
        credential = null!;
        var issued = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(25));
        var expires = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(33));
        if (!IsUnixSeconds(issued) || !IsUnixSeconds(expires))
        {
            return false;
        }

        credential = new Credential(
            bytes.AsMemory(1, BoxPublicKey.KeyIdLength),
            BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(9)),
            BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(17)),
            DateTimeOffset.FromUnixTimeSeconds(issued),
            DateTimeOffset.FromUnixTimeSeconds(expires),
            bytes.AsMemory(41, 32));
        return true;
    }

    private static bool IsUnixSeconds(long value) =>
        value >= 0 && value <= DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    private static byte[] SignedMessage(ReadOnlySpan<byte> bytes) => [.. Domain, .. bytes[..SignedLength]];
}
