using System.Globalization;
using System.Text;
using NSec.Cryptography;
using Splicer.Access;
using Splicer.Governance.Entry;

namespace Splicer.Governance;

/// <summary>
/// The box's own Ed25519 key pair, which signs credentials. The private key lives in
/// <c>box-key.pem</c> (PKCS#8 PEM) under the state directory, created atomically with mode 0600; a key
/// file that group or others can read stops the start. Rotation makes a new key; the previous public
/// key goes to <c>box-key-retired.txt</c> and credentials it signed keep working until
/// <see cref="AccessOptions.CredentialLifetime"/> after the rotation, by when all of them have expired.
/// Rotation that revokes drops every retired key at once, for a key that may have leaked.
/// </summary>
public sealed class BoxKeyRing : IBoxPublicKeys, IDisposable
{
    public const string KeyFileName = "box-key.pem";
    public const string RetiredFileName = "box-key-retired.txt";

    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;

    private readonly string _directory;
    private readonly TimeSpan _retiredKeyLifetime;
    private readonly TimeProvider _time;
    private readonly Lock _rotation = new();
    private readonly List<Key> _keys = [];
    private volatile Snapshot _snapshot;

    private BoxKeyRing(string directory, TimeSpan retiredKeyLifetime, TimeProvider time, Key current, IReadOnlyList<BoxPublicKey> retired)
    {
        _directory = directory;
        _retiredKeyLifetime = retiredKeyLifetime;
        _time = time;
        _keys.Add(current);
        _snapshot = new Snapshot(new BoxSigner(current), retired);
    }

    public string KeyFilePath => Path.Combine(_directory, KeyFileName);

    public string RetiredFilePath => Path.Combine(_directory, RetiredFileName);

    /// <summary>The key that signs new credentials.</summary>
    public BoxPublicKey Current => _snapshot.Public;

    /// <summary>Every key a verifier should trust now: the current one and the retired ones still trusted.</summary>
    public BoxPublicKeySet PublicKeys => _snapshot.Trusted(_time.GetUtcNow());

    /// <summary>Loads the key from <paramref name="directory"/>, or makes one if there is none.</summary>
    /// <exception cref="BoxKeyFileException">The key file is readable by group or others, or cannot be read as a key.</exception>
    public static BoxKeyRing LoadOrCreate(string directory, TimeSpan retiredKeyLifetime, TimeProvider time)
    {
        Directory.CreateDirectory(directory);
        var keyPath = Path.Combine(directory, KeyFileName);
        var key = File.Exists(keyPath) ? Load(keyPath) : CreateOrLoad(keyPath);
        var retired = ReadRetired(Path.Combine(directory, RetiredFileName));
        return new BoxKeyRing(directory, retiredKeyLifetime, time, key, retired);
    }

    /// <summary>The current key, to sign with; stays usable after a rotation, so one signature uses one key throughout.</summary>
    public BoxSigner Signer => _snapshot.Signer;

    /// <summary>
    /// Makes a new box key and makes it current. With <paramref name="revokePrevious"/> false, the old
    /// public key stays trusted for the credential lifetime; with true, every credential signed before
    /// stops working at once.
    /// </summary>
    public BoxPublicKey Rotate(bool revokePrevious)
    {
        lock (_rotation)
        {
            var now = _time.GetUtcNow();
            var old = _snapshot;
            var retired = revokePrevious
                ? []
                : old.Retired.Where(key => key.IsTrustedAt(now)).Append(BoxPublicKey.FromRaw(old.Public.Raw.Span, now, now + _retiredKeyLifetime)).ToList();

            // Retired list first: a crash between the two writes leaves the new key unwritten and the
            // current one listed as retired too, which trusts nothing that was not trusted already.
            KeyFiles.WriteOwnerOnly(RetiredFilePath, Encoding.ASCII.GetBytes(FormatRetired(retired)), replace: true);
            var fresh = NewKey();
            KeyFiles.WriteOwnerOnly(KeyFilePath, fresh.Export(KeyBlobFormat.PkixPrivateKeyText), replace: true);

            _keys.Add(fresh);
            _snapshot = new Snapshot(new BoxSigner(fresh), retired);
            return _snapshot.Public;
        }
    }

    public void Dispose()
    {
        lock (_rotation)
        {
            _keys.ForEach(key => key.Dispose());
            _keys.Clear();
        }
    }

    private static Key CreateOrLoad(string keyPath)
    {
        using var created = NewKey();

        // When another process made the file first, its key is the one: load whatever is there.
        KeyFiles.WriteOwnerOnly(keyPath, created.Export(KeyBlobFormat.PkixPrivateKeyText), replace: false);
        return Load(keyPath);
    }

    private static Key Load(string keyPath)
    {
        KeyFiles.RefuseIfOthersCanRead(keyPath);
        var blob = File.ReadAllBytes(keyPath);
        if (!Key.TryImport(Ed25519, blob, KeyBlobFormat.PkixPrivateKeyText, out var key))
        {
            throw new BoxKeyFileException($"The box key file {keyPath} does not hold an Ed25519 private key (PKCS#8 PEM); restore it from a backup, or remove it to make a new key (credentials signed by the old one stop working).");
        }

        return key!;
    }

    private static Key NewKey() =>
        Key.Create(Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextArchiving });

    private static List<BoxPublicKey> ReadRetired(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        KeyFiles.RefuseIfOthersCanRead(path);
        var keys = new List<BoxPublicKey>();
        foreach (var line in File.ReadAllLines(path).Where(line => line.Length > 0 && line[0] != '#'))
        {
            var parts = line.Split(' ');
            if (parts.Length != 3 || !Base64UrlText.TryDecode(parts[0], 32, out var raw)
                || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var retiredAt)
                || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var trustedUntil))
            {
                throw new BoxKeyFileException($"The retired box key file {path} has a line that is not 'KEY RETIRED-AT TRUSTED-UNTIL': '{line}'.");
            }

            keys.Add(BoxPublicKey.FromRaw(raw, DateTimeOffset.FromUnixTimeSeconds(retiredAt), DateTimeOffset.FromUnixTimeSeconds(trustedUntil)));
        }

        return keys;
    }

    private static string FormatRetired(IEnumerable<BoxPublicKey> keys)
    {
        var text = new StringBuilder("# Retired box public keys: base64url key, retired at, trusted until (Unix seconds).\n");
        foreach (var key in keys)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Base64UrlText.Encode(key.Raw.Span)} {key.RetiredAt!.Value.ToUnixTimeSeconds()} {key.TrustedUntil!.Value.ToUnixTimeSeconds()}\n");
        }

        return text.ToString();
    }

    private sealed record Snapshot(BoxSigner Signer, IReadOnlyList<BoxPublicKey> Retired)
    {
        public BoxPublicKey Public => Signer.PublicKey;

        public BoxPublicKeySet Trusted(DateTimeOffset now) => new([Public, .. Retired.Where(key => key.IsTrustedAt(now))]);
    }
}
