using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using Splicer.Bench.Infrastructure;

namespace Splicer.Bench.Load;

/// <summary>
/// Opens client connections to one address over one transport (<c>tcp</c>, <c>tls</c>, <c>ws</c>,
/// <c>wss</c>), ready for the first byte of a handshake. TLS clients name <c>localhost</c> and trust only
/// the run's own certificate.
/// </summary>
internal abstract class Dialer(IPEndPoint endPoint)
{
    protected IPEndPoint EndPoint { get; } = endPoint;

    public abstract ValueTask<PairEnd> DialAsync(CancellationToken cancellationToken);

    public static Dialer Create(string kind, IPEndPoint endPoint, BenchCertificate? certificate) => kind switch
    {
        "tcp" => new TcpDialer(endPoint),
        "tls" => new TlsDialer(endPoint, certificate ?? throw new ArgumentNullException(nameof(certificate))),
        "ws" or "wss" => new WebSocketDialer(kind, endPoint, certificate),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "tcp, tls, ws or wss"),
    };

    private sealed class TcpDialer(IPEndPoint endPoint) : Dialer(endPoint)
    {
        public override async ValueTask<PairEnd> DialAsync(CancellationToken cancellationToken) =>
            new SocketEnd(await SocketIo.ConnectAsync(EndPoint, cancellationToken));
    }

    private sealed class TlsDialer(IPEndPoint endPoint, BenchCertificate certificate) : Dialer(endPoint)
    {
        private readonly SslClientAuthenticationOptions _options = new()
        {
            TargetHost = BenchCertificate.ServerName,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            RemoteCertificateValidationCallback = (_, presented, _, _) => certificate.IsThis(presented),
        };

        public override async ValueTask<PairEnd> DialAsync(CancellationToken cancellationToken)
        {
            var socket = await SocketIo.ConnectAsync(EndPoint, cancellationToken);
            var tls = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
            try
            {
                await tls.AuthenticateAsClientAsync(_options, cancellationToken);
                return new TlsEnd(tls, socket);
            }
            catch
            {
                await tls.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>The BCL's <see cref="ClientWebSocket"/>, one handler for every upgrade, each on a fresh connection to the relay.</summary>
    private sealed class WebSocketDialer : Dialer
    {
        private readonly Uri _uri;
        private readonly HttpMessageInvoker _invoker;

        public WebSocketDialer(string scheme, IPEndPoint endPoint, BenchCertificate? certificate) : base(endPoint)
        {
            _uri = new Uri($"{scheme}://{BenchCertificate.ServerName}:{endPoint.Port}/");
            var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, cancellationToken) =>
                    new NetworkStream(await SocketIo.ConnectAsync(EndPoint, cancellationToken), ownsSocket: true),
                SslOptions = new SslClientAuthenticationOptions
                {
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    RemoteCertificateValidationCallback = (_, presented, _, _) => certificate?.IsThis(presented) == true,
                },
            };
            _invoker = new HttpMessageInvoker(handler);
        }

        public override async ValueTask<PairEnd> DialAsync(CancellationToken cancellationToken)
        {
            var client = new ClientWebSocket();
            client.Options.KeepAliveInterval = TimeSpan.Zero; // the relay pings; the bench only answers
            try
            {
                await client.ConnectAsync(_uri, _invoker, cancellationToken);
                return new WebSocketEnd(client);
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }
    }
}
