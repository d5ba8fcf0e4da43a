using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Client.PortMapping;

/// <summary>
/// A home network in three namespaces: a LAN (192.0.2.130/25, the client), a router (192.0.2.129 inside,
/// 198.51.100.1 outside) that masquerades with nftables and runs Debian's miniupnpd with PCP, NAT-PMP and UPnP-IGD on,
/// and a WAN host (198.51.100.2) that also answers miniupnpd's STUN check. Built once per test class.
/// </summary>
public sealed class RouterLab : IAsyncLifetime
{
    public static readonly IPAddress LanHost = IPAddress.Parse("192.0.2.130");
    public static readonly IPAddress RouterInside = IPAddress.Parse("192.0.2.129");
    public static readonly IPAddress RouterOutside = IPAddress.Parse("198.51.100.1");
    public static readonly IPAddress WanHost = IPAddress.Parse("198.51.100.2");
    private const int HttpPort = 2189;

    private readonly string _prefix = "spm" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2));
    private readonly string _folder = Directory.CreateTempSubdirectory("splicer-portmap-").FullName;
    private readonly List<NetworkNamespace> _namespaces = [];
    private UdpResponder? _stun;
    private ExternalProcess? _miniupnpd;

    internal NetworkNamespace Lan { get; private set; } = null!;

    internal NetworkNamespace Router { get; private set; } = null!;

    internal NetworkNamespace Wan { get; private set; } = null!;

    /// <summary>The router's log so far (for a failing test's message).</summary>
    public string RouterLog => _miniupnpd?.Output ?? "";

    public async Task InitializeAsync()
    {
        try
        {
            await BuildAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private async Task BuildAsync()
    {
        Lan = await AddNamespaceAsync("lan");
        Router = await AddNamespaceAsync("rtr");
        Wan = await AddNamespaceAsync("wan");
        await LinkAsync(Lan, $"{_prefix}l0", LanHost, Router, $"{_prefix}l1", RouterInside, 25);
        await LinkAsync(Wan, $"{_prefix}w0", WanHost, Router, $"{_prefix}w1", RouterOutside, 24);
        await Lan.RunAsync("ip", "route", "add", "default", "via", RouterInside.ToString());
        await Router.RunAsync("sysctl", "-qw", "net.ipv4.ip_forward=1");
        await File.WriteAllTextAsync(Path.Combine(_folder, "router.nft"), Firewall());
        await Router.RunAsync("nft", "-f", Path.Combine(_folder, "router.nft"));
        _stun = new UdpResponder(Wan.Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp), new IPEndPoint(WanHost, 3478), StunAnswer.To);
        await File.WriteAllTextAsync(Path.Combine(_folder, "miniupnpd.conf"), Configuration());
        _miniupnpd = ExternalProcess.Start("ip", ["netns", "exec", Router.Name, "miniupnpd", "-d", "-f", Path.Combine(_folder, "miniupnpd.conf"), "-P", Path.Combine(_folder, "miniupnpd.pid")]);
        await WaitForRouterAsync();
    }

    /// <summary>The router's nftables rules (miniupnpd adds a dnat rule per mapping).</summary>
    public Task<string> RulesAsync() => Router.RunAsync("nft", "list", "table", "inet", "miniupnpd");

    public async Task DisposeAsync()
    {
        if (_miniupnpd is not null)
        {
            await _miniupnpd.DisposeAsync();
            _miniupnpd = null;
        }

        if (_stun is not null)
        {
            await _stun.DisposeAsync();
            _stun = null;
        }

        foreach (var network in _namespaces)
        {
            await network.DisposeAsync();
        }

        _namespaces.Clear();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private async Task<NetworkNamespace> AddNamespaceAsync(string role)
    {
        var network = await NetworkNamespace.CreateAsync(_prefix + role);
        _namespaces.Add(network);
        return network;
    }

    private static async Task LinkAsync(NetworkNamespace one, string oneName, IPAddress oneAddress, NetworkNamespace other, string otherName, IPAddress otherAddress, int prefix)
    {
        await NetworkNamespace.RunOnHostAsync("ip", "link", "add", oneName, "netns", one.Name, "type", "veth", "peer", "name", otherName, "netns", other.Name);
        await one.RunAsync("ip", "addr", "add", $"{oneAddress}/{prefix}", "dev", oneName);
        await one.RunAsync("ip", "link", "set", oneName, "up");
        await other.RunAsync("ip", "addr", "add", $"{otherAddress}/{prefix}", "dev", otherName);
        await other.RunAsync("ip", "link", "set", otherName, "up");
    }

    /// <summary>A home router's rules: LAN out with masquerade, nothing in but replies and what miniupnpd opens.</summary>
    private string Firewall() => $$"""
        table inet miniupnpd {
          chain forward { type filter hook forward priority 0; policy drop; ct state established,related accept; iifname "{{_prefix}}l1" accept; jump miniupnpd; }
          chain miniupnpd { }
          chain prerouting { type nat hook prerouting priority -100; policy accept; jump prerouting_miniupnpd; }
          chain postrouting { type nat hook postrouting priority 100; policy accept; jump postrouting_miniupnpd; oifname "{{_prefix}}w1" masquerade; }
          chain prerouting_miniupnpd { }
          chain postrouting_miniupnpd { }
        }
        """;

    private string Configuration() => $"""
        ext_ifname={_prefix}w1
        listening_ip={_prefix}l1
        port={HttpPort}
        enable_natpmp=yes
        enable_upnp=yes
        secure_mode=yes
        ext_perform_stun=yes
        ext_stun_host={WanHost}
        ext_stun_port=3478
        upnp_table_name=miniupnpd
        upnp_nat_table_name=miniupnpd
        allow 1024-65535 192.0.2.128/25 1024-65535
        deny 0-65535 0.0.0.0/0 0-65535
        """;

    /// <summary>miniupnpd opens its HTTP port and then its PCP/NAT-PMP socket, after its STUN check (some seconds).</summary>
    private async Task WaitForRouterAsync()
    {
        await Patience.UntilAsync(async () =>
        {
            using var probe = Lan.Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(RouterInside, HttpPort);
                return true;
            }
            catch (SocketException)
            {
                return _miniupnpd!.Output.Contains("EXITING") ? throw new InvalidOperationException($"miniupnpd stopped: {_miniupnpd.Output}") : false;
            }
        }, "miniupnpd's HTTP port");
        await _miniupnpd!.WaitForLineAsync(line => line.Contains("Listening for NAT-PMP/PCP traffic", StringComparison.Ordinal));
    }
}
