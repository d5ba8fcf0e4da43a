using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Splicer.Client.Failures;

namespace Splicer.Client.Links;

/// <summary>
/// Which certificates a TLS relay may show: by default the system's trusted roots; with <c>--ca FILE</c>, only
/// certificates that chain to the PEM certificates in that file (a private CA, or a self-signed relay).
/// TLS 1.2 and 1.3 only, and the certificate must name the host in the URL.
/// </summary>
public sealed class RelayTrust
{
    public static readonly RelayTrust System = new(null);

    private readonly X509Certificate2Collection? _roots;

    private RelayTrust(X509Certificate2Collection? roots) => _roots = roots;

    public static RelayTrust FromFile(string? path)
    {
        if (path is null)
        {
            return System;
        }

        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or global::System.Security.Cryptography.CryptographicException)
        {
            throw new ClientFailure($"--ca {path}: cannot read PEM certificates from it ({error.Message})", ClientFailure.Usage);
        }

        if (roots.Count == 0)
        {
            throw new ClientFailure($"--ca {path}: the file holds no PEM certificate", ClientFailure.Usage);
        }

        return new RelayTrust(roots);
    }

    public SslClientAuthenticationOptions ClientOptions(string host)
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = host,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        if (_roots is not null)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(_roots);
            options.CertificateChainPolicy = policy;
        }

        return options;
    }
}
