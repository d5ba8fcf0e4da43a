namespace Splicer.Tests.Infrastructure;

/// <summary>
/// What a lab router running Debian's miniupnpd needs, written one way for every lab: its nftables table (its own
/// chains, forwarding from the LAN and what miniupnpd opens, then the lab's masquerade) and its configuration
/// (NAT-PMP and PCP, UPnP when an HTTP port is given, a STUN check against a responder the lab runs because the WAN
/// address is a documentation one, mappings allowed from the LAN only).
/// </summary>
internal sealed record MiniupnpdRouter(string Lan, string Wan, string Masquerade, string LanNetwork, string StunHost)
{
    /// <summary>The HTTP port for UPnP-IGD; 0 leaves UPnP off.</summary>
    public int HttpPort { get; init; }

    /// <summary>Whether the WAN link also carries IPv6 mappings (PCP pinholes).</summary>
    public bool Ipv6 { get; init; }

    public string Firewall() => $$"""
        table inet miniupnpd {
          chain forward { type filter hook forward priority 0; policy drop; ct state established,related accept; iifname "{{Lan}}" accept; jump miniupnpd; }
          chain miniupnpd { }
          chain prerouting { type nat hook prerouting priority -100; policy accept; jump prerouting_miniupnpd; }
          chain postrouting { type nat hook postrouting priority 100; policy accept; jump postrouting_miniupnpd; oifname "{{Wan}}" {{Masquerade}}; }
          chain prerouting_miniupnpd { }
          chain postrouting_miniupnpd { }
        }
        """;

    public string Configuration() => $"""
        ext_ifname={Wan}
        {(Ipv6 ? $"ext_ifname6={Wan}" : "")}
        listening_ip={Lan}
        port={HttpPort}
        enable_natpmp=yes
        enable_upnp={(HttpPort > 0 ? "yes" : "no")}
        secure_mode=yes
        ext_perform_stun=yes
        ext_stun_host={StunHost}
        ext_stun_port=3478
        upnp_table_name=miniupnpd
        upnp_nat_table_name=miniupnpd
        allow 1024-65535 {LanNetwork} 1024-65535
        deny 0-65535 0.0.0.0/0 0-65535
        """;

    /// <summary>Writes the configuration into <paramref name="folder"/> and runs miniupnpd in the foreground inside the router's namespace.</summary>
    public async Task<ExternalProcess> StartAsync(string routerNamespace, string folder)
    {
        var configuration = Path.Combine(folder, routerNamespace + "-miniupnpd.conf");
        await File.WriteAllTextAsync(configuration, Configuration());
        return ExternalProcess.Start(
            "ip", ["netns", "exec", routerNamespace, "miniupnpd", "-d", "-f", configuration, "-P", Path.Combine(folder, routerNamespace + "-miniupnpd.pid")]);
    }
}
