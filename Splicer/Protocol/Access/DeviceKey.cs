using NSec.Cryptography;

namespace Splicer.Access;

/// <summary>
/// A device's Ed25519 key pair, held by the device (the client side of <c>splicer join</c>); the relay
/// only ever sees <see cref="PublicKey"/>.
/// </summary>
public sealed class DeviceKey : IDisposable
{
    private readonly Key _key;

    private DeviceKey(Key key)
    {
        _key = key;
        PublicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    /// <summary>The 32 raw bytes of the public key.</summary>
    public ReadOnlyMemory<byte> PublicKey { get; }

    public string PublicKeyText => Base64UrlText.Encode(PublicKey.Span);

    public static DeviceKey Create() =>
        new(Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    /// <summary>Reads a key saved with <see cref="Export"/> (PKCS#8 PEM).</summary>
    public static DeviceKey Import(ReadOnlySpan<byte> pem) =>
        new(Key.Import(SignatureAlgorithm.Ed25519, pem, KeyBlobFormat.PkixPrivateKeyText,
            new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    public byte[] Export() => _key.Export(KeyBlobFormat.PkixPrivateKeyText);

    public byte[] Sign(ReadOnlySpan<byte> message) => SignatureAlgorithm.Ed25519.Sign(_key, message);

    public void Dispose() => _key.Dispose();
}
