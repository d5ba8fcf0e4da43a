using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Splicer.Access;
using Splicer.Governance.Entry;

namespace Splicer.Bench.Infrastructure;

/// <summary>
/// A self-signed certificate for <c>localhost</c> made for one bench run, written into the run's scratch
/// folder (removed with it): PEM certificate and key for Splicer, both in one file for HAProxy. Keys 0600.
/// Clients trust exactly this certificate, nothing else.
/// </summary>
internal sealed class BenchCertificate : IDisposable
{
    public const string ServerName = "localhost";

    private BenchCertificate(X509Certificate2 certificate, string directory)
    {
        Certificate = certificate;
        CertificatePath = Path.Combine(directory, "fullchain.pem");
        KeyPath = Path.Combine(directory, "privkey.pem");
        CombinedPath = Path.Combine(directory, "haproxy.pem");
    }

    public X509Certificate2 Certificate { get; }

    public string CertificatePath { get; }

    public string KeyPath { get; }

    /// <summary>Certificate then key in one file, as HAProxy's <c>crt</c> takes them.</summary>
    public string CombinedPath { get; }

    public static BenchCertificate Create(string workDirectory)
    {
        var directory = Directory.CreateDirectory(Path.Combine(workDirectory, "tls")).FullName;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={ServerName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(ServerName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var created = new BenchCertificate(
            request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1)), directory);

        var certificatePem = created.Certificate.ExportCertificatePem() + "\n";
        var keyPem = key.ExportPkcs8PrivateKeyPem() + "\n";
        File.WriteAllText(created.CertificatePath, certificatePem);
        KeyFiles.WriteOwnerOnly(created.KeyPath, Encoding.ASCII.GetBytes(keyPem), replace: false);
        KeyFiles.WriteOwnerOnly(created.CombinedPath, Encoding.ASCII.GetBytes(certificatePem + keyPem), replace: false);
        return created;
    }

    /// <summary>True only for this run's certificate (compared by hash): the clients' whole trust.</summary>
    public bool IsThis(X509Certificate? presented) =>
        presented is not null && presented.GetCertHashString() == Certificate.GetCertHashString();

    public void Dispose() => Certificate.Dispose();
}
