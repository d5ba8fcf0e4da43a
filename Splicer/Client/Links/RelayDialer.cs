using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using Splicer.Client.Failures;

namespace Splicer.Client.Links;

/// <summary>
/// Opens a <see cref="RelayLink"/> to a relay address: the TCP connection, then TLS for <c>tls://</c> and
/// <c>wss://</c>, then the WebSocket upgrade for <c>ws://</c> and <c>wss://</c>. A failure on the way is a
/// <see cref="RelayUnreachableException"/> that names the address and the step.
/// </summary>
public static class RelayDialer
{
    /// <summary>How often a WebSocket link pings the relay: keeps NAT mappings alive on quiet sessions.</summary>
    public static readonly TimeSpan WebSocketKeepAlive = TimeSpan.FromSeconds(25);

    /// <param name="reusablePort">Bind the TCP socket so that direct dials to the peer may share its local port (<see cref="ReusablePort"/>).</param>
    public static async Task<RelayLink> DialAsync(RelayAddress address, RelayTrust trust, CancellationToken cancellationToken, bool reusablePort = false)
    {
        var socket = reusablePort ? await ConnectReusableAsync(address, cancellationToken) : await ConnectAsync(address, cancellationToken);
        try
        {
            return address.Transport switch
            {
                RelayTransport.Tcp => new TcpLink(socket),
                RelayTransport.Tls => new TlsLink(socket, await TlsAsync(socket, address, trust, cancellationToken)),
                _ => await WebSocketAsync(socket, address, trust, cancellationToken),
            };
        }
        catch (Exception error) when (error is IOException or AuthenticationException)
        {
            socket.Dispose();
            throw new RelayUnreachableException($"cannot open {address}: {error.Message}");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<Socket> ConnectAsync(RelayAddress address, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(address.Host, address.Port, cancellationToken);
            return socket;
        }
        catch (SocketException error)
        {
            socket.Dispose();
            throw new RelayUnreachableException($"cannot reach the relay at {address}: {error.Message}");
        }
    }

    /// <summary>As <see cref="ConnectAsync"/>, from a socket of the address's own family that shares its port (no dual-stack mapping).</summary>
    private static async Task<Socket> ConnectReusableAsync(RelayAddress address, CancellationToken cancellationToken)
    {
        Socket? socket = null;
        try
        {
            var remote = new System.Net.IPEndPoint((await System.Net.Dns.GetHostAddressesAsync(address.Host, cancellationToken))[0], address.Port);
            socket = ReusablePort.NewSocket(remote.AddressFamily);
            await socket.ConnectAsync(remote, cancellationToken);
            return socket;
        }
        catch (SocketException error)
        {
            socket?.Dispose();
            throw new RelayUnreachableException($"cannot reach the relay at {address}: {error.Message}");
        }
    }

    private static async Task<SslStream> TlsAsync(Socket socket, RelayAddress address, RelayTrust trust, CancellationToken cancellationToken)
    {
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
        try
        {
            await tls.AuthenticateAsClientAsync(trust.ClientOptions(address.Host), cancellationToken);
            return tls;
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
    }

    private static async Task<RelayLink> WebSocketAsync(Socket socket, RelayAddress address, RelayTrust trust, CancellationToken cancellationToken)
    {
        Stream under = address.IsTls
            ? await TlsAsync(socket, address, trust, cancellationToken)
            : new NetworkStream(socket, ownsSocket: false);
        try
        {
            await WebSocketClientUpgrade.UpgradeAsync(under, address, cancellationToken);
            var webSocket = WebSocket.CreateFromStream(under, new WebSocketCreationOptions
            {
                IsServer = false,
                KeepAliveInterval = WebSocketKeepAlive,
            });
            return new WebSocketLink(socket, webSocket, under, address.IsTls ? "wss" : "ws");
        }
        catch
        {
            await under.DisposeAsync();
            throw;
        }
    }
}
