namespace Splicer.Transport;

/// <summary>TLS on the splice port (<c>Splicer:Tls</c>); off unless a certificate is named.</summary>
public sealed class TlsOptions
{
    public const string SectionName = "Splicer:Tls";

    /// <summary>PEM file with the certificate, optionally followed by its chain (certbot's <c>fullchain.pem</c>).</summary>
    public string? Certificate { get; set; }

    /// <summary>PEM file with the private key (certbot's <c>privkey.pem</c>).</summary>
    public string? Key { get; set; }

    /// <summary>Refuse a client whose SNI names a host the certificate does not cover.</summary>
    public bool CheckServerName { get; set; } = true;

    /// <summary>ALPN protocols offered, in order of preference; null offers <c>http/1.1</c> (what browsers ask of a wss:// server).</summary>
    public string[]? ApplicationProtocols { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Certificate) || !string.IsNullOrWhiteSpace(Key);

    internal IReadOnlyList<string> OfferedProtocols => ApplicationProtocols is { Length: > 0 } protocols ? protocols : ["http/1.1"];
}
