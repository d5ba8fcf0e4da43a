using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Splicer.Tests.Infrastructure;

/// <summary>A self-signed certificate made for one test, written as PEM files (key 0600) into a folder removed with it.</summary>
internal sealed class TestCertificate : IDisposable
{
    private TestCertificate(string directory, X509Certificate2 certificate)
    {
        Directory = directory;
        Certificate = certificate;
    }

    public string Directory { get; }

    public X509Certificate2 Certificate { get; private set; }

    public string CertificatePath => Path.Combine(Directory, "fullchain.pem");

    public string KeyPath => Path.Combine(Directory, "privkey.pem");

    /// <summary>The relay settings that serve this certificate.</summary>
    public string[] Settings => [$"Splicer:Tls:Certificate={CertificatePath}", $"Splicer:Tls:Key={KeyPath}"];

    public static TestCertificate Create(params string[] names)
    {
        var directory = Path.Combine(Path.GetTempPath(), "splicer-tls-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var created = new TestCertificate(directory, null!);
        created.Renew(names.Length > 0 ? names : ["localhost"]);
        return created;
    }

    /// <summary>A new key and certificate written over the files in place, as an ACME client renews.</summary>
    public void Renew(params string[] names)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={names[0]}", key, HashAlgorithmName.SHA256);
        var alternative = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            alternative.AddDnsName(name);
        }

        request.CertificateExtensions.Add(alternative.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.WriteAllText(CertificatePath, certificate.ExportCertificatePem());
        Certificate = certificate;
    }

    /// <summary>The SubjectPublicKeyInfo's SHA-256 in base64: what Chromium's --ignore-certificate-errors-spki-list takes.</summary>
    public string SpkiHash => Convert.ToBase64String(SHA256.HashData(Certificate.PublicKey.ExportSubjectPublicKeyInfo()));

    public void Dispose()
    {
        Certificate.Dispose();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
