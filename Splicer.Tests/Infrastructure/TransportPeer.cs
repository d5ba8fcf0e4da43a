using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Splicer.Tests.Infrastructure;

/// <summary>
/// A relay client over one of the four transports (<c>tcp</c>, <c>tls</c>, <c>ws</c>, <c>wss</c>), with
/// the same few verbs for each: send, receive (0 at the end), end the sending half.
/// </summary>
internal abstract class TransportPeer : IAsyncDisposable
{
    public static readonly string[] Kinds = ["tcp", "tls", "ws", "wss"];

    public abstract string Kind { get; }

    /// <param name="trusted">The certificate the relay serves, trusted for this client only (tls and wss).</param>
    public static async Task<TransportPeer> ConnectAsync(string kind, IPEndPoint relay, X509Certificate2? trusted, string serverName = "localhost")
    {
        if (kind is "ws" or "wss")
        {
            return new WebSocketPeer(kind, await UpgradeAsync(relay, kind, trusted, serverName));
        }

        var socket = new Socket(relay.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(relay).WithPatience();
        var network = new NetworkStream(socket, ownsSocket: true);
        return kind switch
        {
            "tcp" => new StreamPeer(kind, network, socket),
            "tls" => new StreamPeer(kind, await SecureAsync(network, trusted, serverName), socket),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "tcp, tls, ws or wss"),
        };
    }

    public static async Task<SslStream> SecureAsync(Stream network, X509Certificate2? trusted, string serverName)
    {
        var tls = new SslStream(network, leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                trusted is not null && certificate is not null && certificate.GetCertHashString() == trusted.GetCertHashString(),
        }).WithPatience();
        return tls;
    }

    /// <summary>A WebSocket client that names <paramref name="serverName"/> (Host, SNI) but dials the relay's address.</summary>
    public static async Task<ClientWebSocket> UpgradeAsync(IPEndPoint relay, string scheme, X509Certificate2? trusted, string serverName = "localhost", string path = "/")
    {
        var client = new ClientWebSocket();
        client.Options.KeepAliveInterval = TimeSpan.Zero;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(relay.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(relay, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    trusted is not null && certificate is not null && certificate.GetCertHashString() == trusted.GetCertHashString(),
            },
        };
        await client.ConnectAsync(new Uri($"{scheme}://{serverName}:{relay.Port}{path}"), new HttpMessageInvoker(handler, disposeHandler: false), CancellationToken.None).WithPatience();
        return client;
    }

    public abstract Task SendAsync(ReadOnlyMemory<byte> bytes);

    public Task SendAsync(string text) => SendAsync(Encoding.ASCII.GetBytes(text));

    public abstract Task<int> ReceiveAsync(Memory<byte> buffer);

    public abstract Task CloseSendingAsync();

    public abstract ValueTask DisposeAsync();

    /// <summary>Reads one line, byte by byte so nothing after it is consumed.</summary>
    public async Task<string> ReadLineAsync()
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (await ReceiveAsync(one) == 1)
        {
            line.Append((char)one[0]);
            if (one[0] == '\n')
            {
                break;
            }
        }

        return line.ToString();
    }

    /// <summary>Everything until the peer ends its sending half.</summary>
    public async Task<byte[]> ReadToEndAsync()
    {
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int count;
        while ((count = await ReceiveAsync(buffer)) > 0)
        {
            received.Write(buffer, 0, count);
        }

        return received.ToArray();
    }

    private sealed class StreamPeer(string kind, Stream stream, Socket socket) : TransportPeer
    {
        public override string Kind => kind;

        public override async Task SendAsync(ReadOnlyMemory<byte> bytes) => await stream.WriteAsync(bytes).AsTask().WithPatience();

        public override Task<int> ReceiveAsync(Memory<byte> buffer) => stream.ReadAsync(buffer).AsTask().WithPatience();

        public override async Task CloseSendingAsync()
        {
            if (stream is SslStream tls)
            {
                await tls.ShutdownAsync().WithPatience();
            }

            socket.Shutdown(SocketShutdown.Send);
        }

        public override async ValueTask DisposeAsync() => await stream.DisposeAsync();
    }

    private sealed class WebSocketPeer(string kind, WebSocket webSocket) : TransportPeer
    {
        public WebSocket WebSocket => webSocket;

        public override string Kind => kind;

        public override Task SendAsync(ReadOnlyMemory<byte> bytes) =>
            webSocket.SendAsync(bytes, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None).AsTask().WithPatience();

        public override async Task<int> ReceiveAsync(Memory<byte> buffer)
        {
            while (true)
            {
                var received = await webSocket.ReceiveAsync(buffer, CancellationToken.None).AsTask().WithPatience();
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return 0;
                }

                if (received.Count > 0)
                {
                    return received.Count;
                }
            }
        }

        public override Task CloseSendingAsync() =>
            webSocket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WithPatience();

        public override ValueTask DisposeAsync()
        {
            webSocket.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
