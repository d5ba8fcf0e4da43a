using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Splicer.Tests.Client.PortMapping;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Direct;

/// <summary>
/// The same lab over IPv6 (<see cref="NatLab"/>): nothing is translated, but each home router's firewall still drops
/// (or resets) unsolicited inbound, so the peers only meet through the broker's simultaneous open. Both hosts reach
/// the relay at its IPv6 address, which their joined relay answers to as well (the invite carried it).
/// </summary>
[Requires(Prerequisite.Root)]
[Collection(NatLabCollection.Name)]
public sealed class DirectPathIPv6LabTests(NatLab lab)
{
    private static readonly string[] OverIPv6 = ["--relay", NatLab.RelayUrlV6];

    [RequiresFact]
    public async Task Two_hosts_behind_IPv6_firewalls_get_a_proven_direct_IPv6_connection_and_the_relay_counts_an_IPv6_pair()
    {
        await lab.ConfigureAsync(RouterKind.Easy, RouterKind.Easy);
        var brokered = await BrokeredIPv6PairsAsync();

        var (a, b) = await lab.ProbeAsync(options: OverIPv6);

        Assert.True(a.Path == "direct" && b.Path == "direct", $"{a.Detail} / {b.Detail}");
        Assert.StartsWith($"direct to [{lab.B.AddressV6}]:", a.Detail);
        Assert.StartsWith($"direct to [{lab.A.AddressV6}]:", b.Detail);
        Assert.Equal(brokered + 1, await BrokeredIPv6PairsAsync());
    }

    [RequiresFact]
    public async Task A_64_MiB_stream_over_IPv6_starts_on_the_relay_moves_to_the_direct_path_and_arrives_byte_exact()
    {
        await lab.ConfigureAsync(RouterKind.Easy, RouterKind.Easy);

        // The receiver dials 2 s late, so the stream surely starts on the relay however fast the punch would be.
        var (senderError, receiverError) = await lab.PipeAsync(LabSessions.UntilDirect, OverIPv6, "--punch-delay", "2000");

        Assert.Contains($"path: direct to [{lab.B.AddressV6}]:", senderError);
        var (relayed, direct) = LabSessions.ReceivedByPath(receiverError);
        Assert.True(relayed > 0 && direct > 0 && relayed + direct == LabSessions.PayloadLength, $"sender:\n{senderError}\nreceiver:\n{receiverError}");
    }

    [RequiresFact]
    public async Task An_unsolicited_IPv6_connection_to_a_listening_host_is_turned_away_by_its_router()
    {
        await lab.ConfigureAsync(RouterKind.Resetting, RouterKind.Resetting);
        using var listener = new NetworkNamespace(lab.A.Namespace).Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Parse(lab.A.AddressV6), 0));
        listener.Listen();
        using var outsider = new NetworkNamespace(lab.B.Namespace).Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);

        // Without NAT the address is reachable as is; only the home firewall stands between (here answering with a reset,
        // so the refusal is immediate; the dropping kind differs only in leaving the SYN unanswered).
        var refused = await Assert.ThrowsAsync<SocketException>(() => outsider.ConnectAsync(listener.LocalEndPoint!).WithPatience());
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    private async Task<long> BrokeredIPv6PairsAsync()
    {
        const string series = "splicer_punch_brokered_total{family=\"ipv6\"} ";
        var line = (await lab.MetricsAsync()).Split('\n').SingleOrDefault(text => text.StartsWith(series, StringComparison.Ordinal));
        return line is null ? 0 : (long)double.Parse(line[series.Length..], CultureInfo.InvariantCulture);
    }
}
