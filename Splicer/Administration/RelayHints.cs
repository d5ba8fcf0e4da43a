using Microsoft.Extensions.Options;
using Splicer.Accept;
using Splicer.Admin;
using Splicer.Admin.Hosting;
using Splicer.Transport;

namespace Splicer.Administration;

/// <summary>
/// This relay as a transit <c>relay-v1</c> hint: <c>direct-tcp-v1</c> for its port (plain TCP, which
/// every wormhole client speaks), and <c>websocket-v1</c> for <c>ws://</c> and, with TLS, <c>wss://</c>
/// (preferred where both are offered, as it passes more networks).
/// </summary>
internal sealed class RelayHints(
    IOptions<RelayHintsOptions> hints,
    IOptions<WebSocketTransportOptions> webSockets,
    TlsAcceptor tls,
    TlsCertificates certificates,
    SpliceListener listener) : IRelayHints
{
    public RelayHint Hint(string? requestHost)
    {
        var host = hints.Value.Host ?? (tls.Enabled ? certificates.Current.Names.FirstOrDefault(name => !name.StartsWith('*')) : null) ?? requestHost ?? "localhost";
        var port = hints.Value.Port ?? listener.LocalEndPoint?.Port ?? 0;
        var authority = host.Contains(':') && !host.StartsWith('[') ? $"[{host}]:{port}" : $"{host}:{port}";
        var entries = new List<RelayEndpointHint> { new("direct-tcp-v1", host, port, null, 0.0) };
        if (webSockets.Value.Enabled)
        {
            entries.Add(new RelayEndpointHint("websocket-v1", null, null, $"ws://{authority}{webSockets.Value.Path}", 0.0));
            if (tls.Enabled)
            {
                entries.Add(new RelayEndpointHint("websocket-v1", null, null, $"wss://{authority}{webSockets.Value.Path}", 0.5));
            }
        }

        return new RelayHint("relay-v1", hints.Value.Name, entries);
    }
}
