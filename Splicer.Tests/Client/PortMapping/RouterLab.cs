using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Client.PortMapping;

/// <summary>
/// A home network in three namespaces: a LAN (192.0.2.130/25 and 2001:db8:1::2/64, the client), a router (.129 and
/// ::1 inside, 198.51.100.1 and 2001:db8:2::1 outside) that masquerades IPv4 with nftables, lets no IPv6 in
/// unasked, and runs Debian's miniupnpd with PCP, NAT-PMP and UPnP-IGD on, and a WAN host (198.51.100.2 and
/// 2001:db8:2::2) that also answers miniupnpd's STUN check. Built once per test class.
/// </summary>
public sealed class RouterLab : IAsyncLifetime
{
    public static readonly IPAddress LanHost = IPAddress.Parse("192.0.2.130");
    public static readonly IPAddress RouterInside = IPAddress.Parse("192.0.2.129");
    public static readonly IPAddress RouterOutside = IPAddress.Parse("198.51.100.1");
    public static readonly IPAddress WanHost = IPAddress.Parse("198.51.100.2");
    public static readonly IPAddress LanHost6 = IPAddress.Parse("2001:db8:1::2");
    public static readonly IPAddress RouterInside6 = IPAddress.Parse("2001:db8:1::1");
    public static readonly IPAddress RouterOutside6 = IPAddress.Parse("2001:db8:2::1");
    public static readonly IPAddress WanHost6 = IPAddress.Parse("2001:db8:2::2");
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
        await NetworkNamespace.LinkAsync(Lan, $"{_prefix}l0", [$"{LanHost}/25", $"{LanHost6}/64"], Router, $"{_prefix}l1", [$"{RouterInside}/25", $"{RouterInside6}/64"]);
        await NetworkNamespace.LinkAsync(Wan, $"{_prefix}w0", [$"{WanHost}/24", $"{WanHost6}/64"], Router, $"{_prefix}w1", [$"{RouterOutside}/24", $"{RouterOutside6}/64"]);
        await Lan.RunAsync("ip", "route", "add", "default", "via", RouterInside.ToString());
        await Lan.RunAsync("ip", "-6", "route", "add", "default", "via", RouterInside6.ToString());
        await Wan.RunAsync("ip", "-6", "route", "add", "default", "via", RouterOutside6.ToString());
        await Router.RunAsync("sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1");
        await File.WriteAllTextAsync(Path.Combine(_folder, "router.nft"), Daemon.Firewall());
        await Router.RunAsync("nft", "-f", Path.Combine(_folder, "router.nft"));
        _stun = new UdpResponder(Wan.Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp), new IPEndPoint(WanHost, 3478), StunAnswer.To);
        _miniupnpd = await Daemon.StartAsync(Router.Name, _folder);
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

    /// <summary>The router's miniupnpd: LAN out with masquerade, nothing in but replies and what miniupnpd opens; UPnP and IPv6 on.</summary>
    private MiniupnpdRouter Daemon => new($"{_prefix}l1", $"{_prefix}w1", "meta nfproto ipv4 masquerade", "192.0.2.128/25", WanHost.ToString())
    {
        HttpPort = HttpPort,
        Ipv6 = true,
    };

    /// <summary>miniupnpd opens its HTTP port and then its PCP/NAT-PMP socket, after its STUN check (some seconds).</summary>
    private async Task WaitForRouterAsync()
    {
        try
        {
            await WaitForPortsAsync();
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException($"{timeout.Message}; miniupnpd said:\n{RouterLog}");
        }
    }

    private async Task WaitForPortsAsync()
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
        await Patience.UntilAsync(AnswersPcpAnnounceOverIpv6Async, "miniupnpd to answer PCP over IPv6");
    }

    /// <summary>
    /// The IPv6 side comes up after the log line (neighbour discovery, the router's IPv6 socket): a PCP ANNOUNCE
    /// (RFC 6887 section 14.1: version 2, opcode 0, the client's address) from the LAN must get an answer first.
    /// </summary>
    private async Task<bool> AnswersPcpAnnounceOverIpv6Async()
    {
        using var socket = Lan.Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
        var announce = new byte[24];
        announce[0] = 2;
        LanHost6.GetAddressBytes().CopyTo(announce, 8);
        using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        try
        {
            await socket.SendToAsync(announce, new IPEndPoint(RouterInside6, 5351));
            var answer = new byte[1100];
            return await socket.ReceiveAsync(answer, SocketFlags.None, wait.Token) > 0;
        }
        catch (Exception error) when (error is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
