using System.Security.Cryptography;
using System.Text;

namespace Splicer.Access;

/// <summary>
/// The one-line invite the owner sends to a person: where the relay is, which box key to expect, and a
/// random secret. The relay stores only <see cref="SecretHash"/>; <c>splicer join INVITE</c> redeems it.
/// </summary>
/// <remarks>
/// Text: <c>splicer-invite.</c> followed by unpadded base64url of:
/// <code>
///  1 byte   version (1)
/// 16 bytes  box key fingerprint: the first 16 bytes of SHA-256(box public key)
/// 32 bytes  secret
///  1 byte   length of the relay name, then its ASCII bytes (the name proofs are signed for)
///  1 byte   number of addresses (1 to 8), then each as 1 byte length + UTF-8 "host:port"
/// </code>
/// </remarks>
public sealed class InviteCode
{

    public const string Prefix = "splicer-invite.";
    public const byte Version = 1;
    public const int SecretLength = 32;
    public const int MaxAddresses = 8;

    /// <summary>The least of <see cref="Prefix"/> ("splicer") taken for an invite cut short rather than other text.</summary>
    public const int ShortestCutPrefix = 7;

    private InviteCode(IReadOnlyList<string> addresses, string relayName, byte[] fingerprint, byte[] secret)
    {
        Addresses = addresses;
        RelayName = relayName;
        Fingerprint = fingerprint;
        Secret = secret;
    }

    /// <summary>Where to reach the relay's splice port, <c>host:port</c>, in order of preference.</summary>
    public IReadOnlyList<string> Addresses { get; }

    public string RelayName { get; }

    public ReadOnlyMemory<byte> Fingerprint { get; }

    public ReadOnlyMemory<byte> Secret { get; }

    public string FingerprintText => Base64UrlText.Encode(Fingerprint.Span);

    /// <summary>The SHA-256 of the secret: all the relay keeps. The secret is 256 random bits, so a fast hash is enough.</summary>
    public byte[] SecretHash => HashSecret(Secret.Span);

    public static byte[] HashSecret(ReadOnlySpan<byte> secret) => SHA256.HashData(secret);

    /// <summary>A new invite with a fresh random secret.</summary>
    public static InviteCode Create(IReadOnlyList<string> addresses, string relayName, BoxPublicKey box)
    {
        if (addresses.Count is 0 or > MaxAddresses || addresses.Any(address => address.Length == 0 || Encoding.UTF8.GetByteCount(address) > 255))
        {
            throw new ArgumentException($"An invite carries 1 to {MaxAddresses} addresses of at most 255 bytes.", nameof(addresses));
        }

        if (!RelayNames.IsValid(relayName))
        {
            throw new ArgumentException("Not a relay name.", nameof(relayName));
        }

        return new InviteCode(addresses.ToArray(), relayName, box.FingerprintBytes.ToArray(), RandomNumberGenerator.GetBytes(SecretLength));
    }

    /// <summary>The invite's one-line text. It carries the secret: show it to the owner, never log it.</summary>
    public string Format()
    {
        var bytes = new List<byte> { Version };
        bytes.AddRange(Fingerprint.ToArray());
        bytes.AddRange(Secret.ToArray());
        AddShortString(bytes, RelayName);
        bytes.Add((byte)Addresses.Count);
        foreach (var address in Addresses)
        {
            AddShortString(bytes, address);
        }

        return Prefix + Base64UrlText.Encode(bytes.ToArray());
    }

    public static bool TryParse(string text, out InviteCode? invite) => TryParse(text, out invite, out _);

    /// <summary>Reads an invite; when it cannot, <paramref name="fault"/> says why, so a person can be told what to do.</summary>
    public static bool TryParse(string text, out InviteCode? invite, out InviteFault fault)
    {
        invite = null;
        var trimmed = text.Trim();
        if (!trimmed.StartsWith(Prefix, StringComparison.Ordinal))
        {
            // "splicer-inv": the start of an invite, cut short when it was copied.
            fault = trimmed.Length >= ShortestCutPrefix && Prefix.StartsWith(trimmed, StringComparison.Ordinal) ? InviteFault.Damaged : InviteFault.NotAnInvite;
            return false;
        }

        fault = InviteFault.Damaged;
        if (!Base64UrlText.TryDecode(trimmed.AsSpan(Prefix.Length), out var bytes, maxLength: 4096))
        {
            return false;
        }

        var reader = new ByteReader(bytes);
        var version = reader.Byte();
        if (version > Version)
        {
            fault = InviteFault.NewerVersion;
            return false;
        }

        if (version != Version || reader.Bytes(16) is not { } fingerprint || reader.Bytes(SecretLength) is not { } secret
            || reader.ShortString() is not { } relayName || !RelayNames.IsValid(relayName))
        {
            return false;
        }

        var count = reader.Byte();
        var addresses = new List<string>();
        for (var i = 0; i < count && count <= MaxAddresses; i++)
        {
            if (reader.ShortString() is { Length: > 0 } address)
            {
                addresses.Add(address);
            }
        }

        if (addresses.Count == 0 || addresses.Count != count || !reader.AtEnd)
        {
            return false;
        }

        invite = new InviteCode(addresses, relayName, fingerprint, secret);
        fault = InviteFault.None;
        return true;
    }

    /// <summary>Never the secret: an invite's text is a key.</summary>
    public override string ToString() => $"invite to {RelayName} ({string.Join(", ", Addresses)}), box {FingerprintText}";

    private static void AddShortString(List<byte> bytes, string value)
    {
        var encoded = Encoding.UTF8.GetBytes(value);
        bytes.Add((byte)encoded.Length);
        bytes.AddRange(encoded);
    }

    private sealed class ByteReader(byte[] bytes)
    {
        private int _position;

        public bool AtEnd => _position == bytes.Length;

        public int Byte() => _position < bytes.Length ? bytes[_position++] : -1;

        public byte[]? Bytes(int count)
        {
            if (_position + count > bytes.Length)
            {
                return null;
            }

            _position += count;
            return bytes[(_position - count).._position];
        }

        public string? ShortString()
        {
            var length = Byte();
            if (length < 0 || Bytes(length) is not { } value)
            {
                return null;
            }

            try
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(value);
            }
            catch (DecoderFallbackException)
            {
                return null;
            }
        }
    }
}

/// <summary>Why a text is not a usable invite.</summary>
public enum InviteFault
{
    None,

    /// <summary>It does not start with <see cref="InviteCode.Prefix"/>: some other text.</summary>
    NotAnInvite,

    /// <summary>It starts like an invite but is cut short or altered: copied in part, or wrapped and mangled.</summary>
    Damaged,

    /// <summary>An invite of a later format than this program reads.</summary>
    NewerVersion,
}
