using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Splicer.Accept;

namespace Splicer.Transport;

/// <summary>
/// The server side of a TLS handshake: TLS 1.2 or 1.3 only, the certificate on disk now, the SNI
/// checked against the names it covers and logged, the ALPN protocols offered.
/// </summary>
internal sealed partial class TlsAcceptor(IOptions<TlsOptions> options, TlsCertificates certificates, ILogger<TlsAcceptor> logger)
{
    private const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    private readonly bool _checkServerName = options.Value.CheckServerName;
    private readonly List<SslApplicationProtocol> _protocols = options.Value.OfferedProtocols.Select(protocol => new SslApplicationProtocol(protocol)).ToList();

    public bool Enabled { get; } = options.Value.Enabled;

    /// <exception cref="AuthenticationException">The handshake failed or the client was refused.</exception>
    public async Task<TlsTransport> AcceptAsync(RelayConnection connection, CancellationToken cancellationToken)
    {
        var tls = new SslStream(new NetworkStream(connection.Socket, ownsSocket: false), leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsServerAsync(SelectAsync, connection, cancellationToken);
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }

        LogAccepted(logger, connection.Id, tls.TargetHostName, tls.SslProtocol, tls.NegotiatedApplicationProtocol.ToString());
        return new TlsTransport(tls, connection.Socket);
    }

    private ValueTask<SslServerAuthenticationOptions> SelectAsync(SslStream stream, SslClientHelloInfo hello, object? state, CancellationToken cancellationToken)
    {
        var certificate = certificates.Current;
        var serverName = hello.ServerName;
        if (_checkServerName && !string.IsNullOrEmpty(serverName) && !certificate.Covers(serverName))
        {
            var connection = (RelayConnection)state!;
            LogWrongServerName(logger, connection.Id, connection.Remote, PrintableText.Of(serverName));
            throw new AuthenticationException($"server name '{PrintableText.Of(serverName)}' is not covered by the certificate");
        }

        return ValueTask.FromResult(new SslServerAuthenticationOptions
        {
            ServerCertificateContext = certificate.Context,
            EnabledSslProtocols = Protocols,
            ApplicationProtocols = _protocols,
            ClientCertificateRequired = false,
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
            AllowRenegotiation = false,
        });
    }

    /// <summary>Why a handshake failed, in a line: OpenSSL's words (e.g. "unsupported protocol") where it gave some.</summary>
    public static string Describe(Exception error)
    {
        var innermost = error;
        while (innermost.InnerException is { } inner)
        {
            innermost = inner;
        }

        return innermost == error || error.Message.Contains("server name", StringComparison.Ordinal)
            ? error.Message
            : $"{error.Message.TrimEnd('.')}: {innermost.Message}";
    }


    [LoggerMessage(EventId = 42, Level = LogLevel.Debug, Message = "Connection {ConnectionId}: TLS for server name '{ServerName}', {Protocol}, ALPN '{Alpn}'")]
    private static partial void LogAccepted(ILogger logger, long connectionId, string serverName, SslProtocols protocol, string alpn);

    [LoggerMessage(EventId = 43, Level = LogLevel.Information, Message = "Connection {ConnectionId} from {Remote}: TLS refused for server name '{ServerName}', which the certificate does not cover (Splicer:Tls:CheckServerName)")]
    private static partial void LogWrongServerName(ILogger logger, long connectionId, object remote, string serverName);
}
