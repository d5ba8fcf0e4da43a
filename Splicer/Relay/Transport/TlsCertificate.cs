using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Splicer.Transport;

/// <summary>A certificate and key read from PEM files, ready to serve, with the names it covers and the files' state when read.</summary>
internal sealed class TlsCertificate
{
    private readonly string[] _names;

    private TlsCertificate(SslStreamCertificateContext context, X509Certificate2 leaf, string[] names, FilesStamp stamp)
    {
        Context = context;
        Leaf = leaf;
        _names = names;
        Stamp = stamp;
    }

    public SslStreamCertificateContext Context { get; }

    public X509Certificate2 Leaf { get; }

    public FilesStamp Stamp { get; }

    public IReadOnlyList<string> Names => _names;

    /// <summary>Reads both files; a failure names the key whose file is at fault.</summary>
    /// <exception cref="TlsCertificateException">A file is missing, unreadable, not PEM, or the key does not match.</exception>
    public static TlsCertificate Load(string certificatePath, string keyPath)
    {
        var stamp = FilesStamp.Of(certificatePath, keyPath);
        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPemFile(certificatePath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new TlsCertificateException("Certificate", $"cannot read '{certificatePath}': {ex.Message}");
        }

        if (chain.Count == 0)
        {
            throw new TlsCertificateException("Certificate", $"'{certificatePath}' holds no PEM certificate");
        }

        X509Certificate2 leaf;
        try
        {
            leaf = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new TlsCertificateException("Key", $"cannot use '{keyPath}' as the key of '{certificatePath}': {ex.Message}");
        }

        var intermediates = new X509Certificate2Collection();
        foreach (var certificate in chain.Skip(1))
        {
            intermediates.Add(certificate);
        }

        var context = SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
        return new TlsCertificate(context, leaf, NamesOf(leaf), stamp);
    }

    /// <summary>Whether the certificate covers <paramref name="serverName"/> (one leading <c>*.</c> label matches one label).</summary>
    public bool Covers(string serverName)
    {
        foreach (var name in _names)
        {
            if (string.Equals(name, serverName, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (name.StartsWith("*.", StringComparison.Ordinal) && serverName.IndexOf('.') is var dot and > 0
                && string.Equals(name[1..], serverName[dot..], StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static string[] NamesOf(X509Certificate2 leaf)
    {
        var alternative = leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        var names = alternative?.EnumerateDnsNames().ToArray() ?? [];
        return names.Length > 0 ? names : [leaf.GetNameInfo(X509NameType.DnsName, forIssuer: false)];
    }
}

/// <summary>When and how big both files were; a change in either means a renewal to load.</summary>
internal readonly record struct FilesStamp(DateTime CertificateWritten, long CertificateLength, DateTime KeyWritten, long KeyLength)
{
    public static FilesStamp Of(string certificatePath, string keyPath)
    {
        // FileInfo follows symlinks, so certbot's live/ links pointing at a new archive file count as a change.
        var certificate = new FileInfo(certificatePath);
        var key = new FileInfo(keyPath);
        return new FilesStamp(
            certificate.Exists ? certificate.LastWriteTimeUtc : default, certificate.Exists ? certificate.Length : -1,
            key.Exists ? key.LastWriteTimeUtc : default, key.Exists ? key.Length : -1);
    }
}

/// <summary>A certificate or key that cannot be served; <see cref="Key"/> names the option (<c>Certificate</c> or <c>Key</c>).</summary>
internal sealed class TlsCertificateException(string key, string message) : Exception(message)
{
    public string Key { get; } = key;
}
