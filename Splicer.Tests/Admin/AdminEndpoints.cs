using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Splicer.Admin;
using Splicer.Admin.Hosting;
using Splicer.Hosting;
using Splicer.Options;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Admin;

/// <summary>The admin side of a <see cref="RelayHost"/>: where it listens, a client for it, the monitor behind it.</summary>
internal static class AdminEndpoints
{
    public static Task<RelayHost> StartAsync(params string[] settings) => RelayHost.StartAsync(DataPath.Auto, settings);

    public static Uri AdminUri(this RelayHost relay) =>
        new(relay.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");

    public static IRelayMonitor Monitor(this RelayHost relay) => relay.Services.GetRequiredService<IRelayMonitor>();

    /// <summary>A client for the admin; it keeps cookies, as a browser would (the antiforgery cookie).</summary>
    public static HttpClient CreateAdminClient(this RelayHost relay) =>
        new(new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = relay.AdminUri(),
            Timeout = Patience.Long,
        };

    /// <summary>A client whose connections come from <paramref name="local"/> (another loopback address is another source).</summary>
    public static HttpClient CreateAdminClientFrom(this RelayHost relay, IPAddress local) =>
        new(new SocketsHttpHandler { ConnectCallback = (context, cancellationToken) => ConnectFromAsync(local, context.DnsEndPoint, cancellationToken) })
        {
            BaseAddress = relay.AdminUri(),
            Timeout = Patience.Long,
        };

    /// <summary>Sends a request with an optional credential and <c>Host</c> header (the admin's port is added to the host).</summary>
    public static async Task<HttpResponseMessage> RequestAsync(
        this HttpClient http, HttpMethod method, string path, AuthenticationHeaderValue? credential = null, string? host = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = credential;
        if (host is not null)
        {
            request.Headers.Host = $"{host}:{http.BaseAddress!.Port}";
        }

        return await http.SendAsync(request);
    }

    public static AuthenticationHeaderValue Basic(string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("owner:" + password)));

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    private static async ValueTask<Stream> ConnectFromAsync(IPAddress local, DnsEndPoint remote, CancellationToken cancellationToken)
    {
        var socket = new Socket(local.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(local, 0));
            await socket.ConnectAsync(remote, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
