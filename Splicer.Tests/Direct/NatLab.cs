using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Splicer.Tests.Client.PortMapping;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Direct;

/// <summary>
/// Two homes behind NAT routers and a relay on the "internet", in network namespaces made for this run (names unique
/// per run, removed on dispose), documentation addresses only:
/// <code>
///  host A 192.0.2.10 ─ lan 192.0.2.1 [router A] 203.0.113.2 ─┐                        ┌─ 203.0.113.6 [router B] 192.0.2.129 ─ host B 192.0.2.130
///                                                            └─ 203.0.113.1 [public] 203.0.113.5 ─┘
///                                                                  relay 198.51.100.1:4001
/// </code>
/// Each router masquerades its LAN (port-preserving, or <c>fully-random</c>) and is a home router's firewall: it drops
/// unsolicited inbound (or answers it with a TCP reset). Every link is dual-stack: IPv6 is routed, not translated
/// (host A 2001:db8:a::10, host B 2001:db8:b::10, router WANs 2001:db8:0:a::2 and 2001:db8:0:b::2, the relay
/// 2001:db8:100::1), behind the same firewall, which lets neighbour discovery through. The relay is the real built
/// <c>splicer</c> in <c>Doors</c> mode, listening dual-stack; both hosts have joined it with an invite from its own
/// CLI that carries both of its addresses.
/// </summary>
public sealed class NatLab : IAsyncLifetime
{
    public const string RelayAddress = "198.51.100.1";
    public const string RelayAddressV6 = "2001:db8:100::1";
    public const int RelayPort = 4001;
    private const int AdminPort = 18080;

    private readonly string _id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2));
    private readonly string _adminToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("splicer-natlab-");
    private readonly List<NetworkNamespace> _namespaces = [];
    private ExternalProcess? _relay;

    public LabHost A { get; private set; } = null!;

    public LabHost B { get; private set; } = null!;

    public string Public => $"sp{_id}pub";

    /// <summary>The relay's IPv6 address as a URL; a joined client finds the relay it joined under it too.</summary>
    public static string RelayUrlV6 => $"tcp://[{RelayAddressV6}]:{RelayPort}";

    public async Task InitializeAsync()
    {
        if (!Prerequisites.IsRoot)
        {
            return;
        }

        await BuildNetworkAsync();
        await StartRelayAsync();
        var invite = await OpenDoorAsync();
        await JoinAsync(A, invite);
        await JoinAsync(B, invite);
    }

    /// <summary>Sets both routers' NAT and firewall for the next case.</summary>
    public async Task ConfigureAsync(RouterKind a, RouterKind b)
    {
        await ApplyAsync(A.Router, a);
        await ApplyAsync(B.Router, b);
    }

    /// <summary>The built <c>splicer</c> run as a client on <paramref name="host"/>, with that host's client folder.</summary>
    internal ExternalProcess Client(LabHost host, params string[] arguments) =>
        SplicerProgram.StartInNamespace(host.Namespace, arguments, new Dictionary<string, string?> { ["XDG_CONFIG_HOME"] = host.ConfigHome });

    /// <summary>As <see cref="Client"/>, with binary stdin and stdout (a pipe's data) and stderr kept apart.</summary>
    internal ClientProcess Pipe(LabHost host, params string[] arguments) =>
        ClientProcess.Start(host.ConfigHome, arguments, networkNamespace: host.Namespace);

    public async Task DisposeAsync()
    {
        if (_relay is not null)
        {
            await _relay.DisposeAsync();
        }

        foreach (var network in _namespaces)
        {
            await network.DisposeAsync();
        }

        _folder.Delete(recursive: true);
    }

    private async Task BuildNetworkAsync()
    {
        A = new LabHost($"sp{_id}ha", $"sp{_id}ra", "192.0.2.10", Path.Combine(_folder.FullName, "a")) { AddressV6 = "2001:db8:a::10" };
        B = new LabHost($"sp{_id}hb", $"sp{_id}rb", "192.0.2.130", Path.Combine(_folder.FullName, "b")) { AddressV6 = "2001:db8:b::10" };
        foreach (var name in new[] { Public, A.Router, B.Router, A.Namespace, B.Namespace })
        {
            var network = await NetworkNamespace.CreateAsync(name);
            _namespaces.Add(network);

            // No duplicate address detection on links made for this run: every address (link-local ones too) is usable at once.
            await network.RunAsync("sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0");
        }

        await InAsync(Public, "ip", "addr", "add", RelayAddress + "/32", "dev", "lo");
        await InAsync(Public, "ip", "-6", "addr", "add", RelayAddressV6 + "/128", "dev", "lo");
        await LinkAsync(Public, ["203.0.113.1/30", "2001:db8:0:a::1/64"], A.Router, ["203.0.113.2/30", "2001:db8:0:a::2/64"], $"v{_id}pa", $"v{_id}wa");
        await LinkAsync(Public, ["203.0.113.5/30", "2001:db8:0:b::1/64"], B.Router, ["203.0.113.6/30", "2001:db8:0:b::2/64"], $"v{_id}pb", $"v{_id}wb");
        await LinkAsync(A.Router, ["192.0.2.1/25", "2001:db8:a::1/64"], A.Namespace, [A.Address + "/25", A.AddressV6 + "/64"], $"v{_id}la", $"v{_id}ea");
        await LinkAsync(B.Router, ["192.0.2.129/25", "2001:db8:b::1/64"], B.Namespace, [B.Address + "/25", B.AddressV6 + "/64"], $"v{_id}lb", $"v{_id}eb");
        await InAsync(A.Router, "ip", "route", "add", "default", "via", "203.0.113.1");
        await InAsync(B.Router, "ip", "route", "add", "default", "via", "203.0.113.5");
        await InAsync(A.Namespace, "ip", "route", "add", "default", "via", "192.0.2.1");
        await InAsync(B.Namespace, "ip", "route", "add", "default", "via", "192.0.2.129");
        await InAsync(Public, "ip", "-6", "route", "add", "2001:db8:a::/64", "via", "2001:db8:0:a::2");
        await InAsync(Public, "ip", "-6", "route", "add", "2001:db8:b::/64", "via", "2001:db8:0:b::2");
        await InAsync(A.Router, "ip", "-6", "route", "add", "default", "via", "2001:db8:0:a::1");
        await InAsync(B.Router, "ip", "-6", "route", "add", "default", "via", "2001:db8:0:b::1");
        await InAsync(A.Namespace, "ip", "-6", "route", "add", "default", "via", "2001:db8:a::1");
        await InAsync(B.Namespace, "ip", "-6", "route", "add", "default", "via", "2001:db8:b::1");
        foreach (var router in new[] { Public, A.Router, B.Router })
        {
            await InAsync(router, "sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1");
        }

        A.Wan = $"v{_id}wa";
        B.Wan = $"v{_id}wb";
        await ConfigureAsync(RouterKind.Easy, RouterKind.Easy);
    }

    private static Task LinkAsync(string left, string[] leftAddresses, string right, string[] rightAddresses, string leftName, string rightName) =>
        NetworkNamespace.LinkAsync(new(left), leftName, leftAddresses, new(right), rightName, rightAddresses);

    private async Task ApplyAsync(string router, RouterKind kind)
    {
        var wan = router == A.Router ? A.Wan : B.Wan;
        var masquerade = kind == RouterKind.Random ? "masquerade fully-random" : "masquerade";
        var unsolicited = kind == RouterKind.Resetting ? "meta l4proto tcp reject with tcp reset" : "drop";

        // One inet table: IPv4 is masqueraded, IPv6 only routed; both get the same home firewall. Neighbour discovery
        // (and ICMPv6 errors, which path MTU discovery needs) is not a connection, so it is let through by type.
        const string icmpv6 = "icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, packet-too-big, destination-unreachable, time-exceeded, parameter-problem } accept";
        var rules = $$"""
            flush ruleset
            table inet home {
              chain postrouting { type nat hook postrouting priority srcnat; oifname "{{wan}}" meta nfproto ipv4 {{masquerade}}; }
              chain forward { type filter hook forward priority filter; policy accept; ct state established,related accept; {{icmpv6}}; iifname "{{wan}}" {{unsolicited}}; }
              chain input { type filter hook input priority filter; policy accept; ct state established,related accept; {{icmpv6}}; iifname "{{wan}}" {{unsolicited}}; }
            }
            """;
        var file = Path.Combine(_folder.FullName, router + ".nft");
        await File.WriteAllTextAsync(file, rules);
        await InAsync(router, "nft", "-f", file);
    }

    /// <summary>
    /// Makes <paramref name="home"/>'s router a hard NAT (<c>masquerade fully-random</c>, unsolicited inbound dropped)
    /// that offers port mapping: Debian's miniupnpd with NAT-PMP and PCP, its rules in its own nftables table. Its
    /// WAN address is a documentation one, which miniupnpd maps only after a STUN check says it is reachable as is,
    /// so a STUN responder on the public namespace answers it. Disposing stops the daemon.
    /// </summary>
    internal async Task<MappingRouter> StartMappingRouterAsync(LabHost home)
    {
        var lan = home == A ? $"v{_id}la" : $"v{_id}lb";
        var lanNetwork = home == A ? "192.0.2.0/25" : "192.0.2.128/25";
        var stunAddress = home == A ? "203.0.113.1" : "203.0.113.5";
        var router = new MiniupnpdRouter(lan, home.Wan, $"ip saddr {lanNetwork} masquerade fully-random", lanNetwork, stunAddress);
        var rules = Path.Combine(_folder.FullName, home.Router + "-upnp.nft");
        await File.WriteAllTextAsync(rules, "flush ruleset\n" + router.Firewall());
        await InAsync(home.Router, "nft", "-f", rules);
        var stun = new UdpResponder(
            new NetworkNamespace(Public).Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp),
            new IPEndPoint(IPAddress.Parse(stunAddress), 3478), StunAnswer.To);
        var daemon = await router.StartAsync(home.Router, _folder.FullName);
        await daemon.WaitForLineAsync(line => line.Contains("Listening for NAT-PMP/PCP traffic", StringComparison.Ordinal));
        return new MappingRouter(daemon, stun);
    }

    /// <summary>The router's daemon (its log tells which mappings it made) and the STUN responder it checked with.</summary>
    internal sealed class MappingRouter(ExternalProcess daemon, IAsyncDisposable stun) : IAsyncDisposable
    {
        public string Log => daemon.Output;

        public async ValueTask DisposeAsync()
        {
            await daemon.DisposeAsync();
            await stun.DisposeAsync();
        }
    }

    /// <summary>The relay's <c>/metrics</c>, fetched from inside the public namespace (its admin listens on that loopback).</summary>
    internal async Task<string> MetricsAsync()
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new NetworkNamespace(Public).Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        });
        http.DefaultRequestHeaders.Authorization = new("Bearer", _adminToken);
        return await http.GetStringAsync($"http://127.0.0.1:{AdminPort}/metrics").WithPatience();
    }

    private async Task StartRelayAsync()
    {
        _relay = SplicerProgram.StartInNamespace(Public,
        [
            "serve",
            $"--Splicer:Port={RelayPort}", "--Splicer:Access:Mode=Doors", "--Splicer:Access:RelayName=lab",
            $"--Splicer:Access:InviteAddresses:0={RelayAddress}:{RelayPort}", $"--Splicer:Access:InviteAddresses:1=[{RelayAddressV6}]:{RelayPort}",
            $"--Splicer:StateDirectory={Path.Combine(_folder.FullName, "relay")}",
            $"--Admin:Url=http://127.0.0.1:{AdminPort}", $"--Admin:BearerToken={_adminToken}",
        ]);
        await _relay.WaitForLineAsync(line => line.Contains("Splice listener bound to"));
    }

    private async Task<string> OpenDoorAsync()
    {
        var output = "";
        await Patience.UntilAsync(async () =>
        {
            await using var door = SplicerProgram.StartInNamespace(Public,
                ["door", "open", "--duration", "2h", "--uses", "2", "--name", "nat-lab", "--admin", $"http://127.0.0.1:{AdminPort}", "--token", _adminToken]);
            var exit = await door.WaitForExitAsync();
            output = door.Output;
            return exit == 0;
        }, "the relay's admin to open a door");
        return output.Split('\n').Single(line => line.StartsWith("splicer-invite.", StringComparison.Ordinal)).Trim();
    }

    private async Task JoinAsync(LabHost host, string invite)
    {
        Directory.CreateDirectory(host.ConfigHome);
        await using var join = Client(host, "join", invite, "--name", host.Namespace);
        var exit = await join.WaitForExitAsync();
        Assert.True(exit == 0, $"join from {host.Namespace} failed: {join.Output}");
    }

    private static Task InAsync(string ns, string program, params string[] arguments) => new NetworkNamespace(ns).RunAsync(program, arguments);
}

/// <summary>A home: its host's namespace and address, its router's namespace and WAN link, its client folder.</summary>
public sealed record LabHost(string Namespace, string Router, string Address, string ConfigHome)
{
    /// <summary>The host's IPv6 address: its own, seen as it is by the relay and the peer (IPv6 is not translated).</summary>
    public string AddressV6 { get; init; } = "";

    public string Wan { get; set; } = "";
}

/// <summary>What a home router does.</summary>
public enum RouterKind
{
    /// <summary>Port-preserving masquerade; unsolicited inbound dropped.</summary>
    Easy,

    /// <summary>Port-preserving masquerade; unsolicited inbound TCP answered with a reset.</summary>
    Resetting,

    /// <summary><c>masquerade fully-random</c>: a new port for every destination, like a symmetric NAT.</summary>
    Random,
}
