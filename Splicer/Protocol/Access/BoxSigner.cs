using NSec.Cryptography;

namespace Splicer.Access;

/// <summary>One box private key, and the public key that checks what it signs.</summary>
public sealed class BoxSigner
{
    private readonly Key _key;

    internal BoxSigner(Key key)
    {
        _key = key;
        PublicKey = BoxPublicKey.From(key.PublicKey);
    }

    public BoxPublicKey PublicKey { get; }

    public byte[] Sign(ReadOnlySpan<byte> data) => SignatureAlgorithm.Ed25519.Sign(_key, data);
}
