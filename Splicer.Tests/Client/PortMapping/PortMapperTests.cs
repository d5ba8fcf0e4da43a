using System.Buffers.Binary;
using System.Net;
using Splicer.Client.PortMapping;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Client.PortMapping;

/// <summary>
/// <see cref="PortMapper"/> against routers played on loopback: the order of protocols, renewal before expiry,
/// the delete on dispose, and a clear reason (never a hang) from a router that is silent, absent or lies.
/// </summary>
public sealed class PortMapperTests
{
    private const int LocalPort = 4001;

    [Fact]
    public async Task PCP_maps_renews_before_expiry_with_the_same_nonce_and_deletes_on_dispose()
    {
        await using var router = UdpResponder.OnLoopback(request => request[0] == 2 ? PcpAnswer(request, lifetime: 1) : null);

        var mapping = await Mapper(router).TryMapAsync(LocalPort, TimeSpan.FromMinutes(2), CancellationToken.None);

        Assert.NotNull(mapping);
        Assert.Equal(PortMappingProtocol.Pcp, mapping.Protocol);
        Assert.Equal(IPEndPoint.Parse("198.51.100.1:40001"), mapping.ExternalEndPoint);
        await Patience.Until(() => router.Requests.Count >= 2, "a renewal");
        await mapping.DisposeAsync();

        var requests = router.Requests.ToArray();
        Assert.All(requests, request => Assert.Equal(requests[0][24..36], request[24..36]));
        Assert.All(requests[..^1], request => Assert.Equal(120u, Lifetime(request)));
        Assert.Equal(0u, Lifetime(requests[^1]));
        Assert.Equal(40001, BinaryPrimitives.ReadUInt16BigEndian(requests[1].AsSpan(42)));
    }

    [Fact]
    public async Task A_NAT_PMP_only_router_is_asked_with_NAT_PMP_after_it_refuses_PCP()
    {
        await using var router = UdpResponder.OnLoopback(NatPmpOnly);

        var attempt = await Mapper(router).MapAsync(LocalPort, TimeSpan.FromMinutes(2), CancellationToken.None);
        await using var mapping = attempt.Mapping;

        Assert.Equal(PortMappingProtocol.NatPmp, mapping!.Protocol);
        Assert.Equal(IPEndPoint.Parse("198.51.100.1:40002"), mapping.ExternalEndPoint);
        Assert.Equal(TimeSpan.FromSeconds(3600), mapping.Lifetime);
        var failure = Assert.Single(attempt.Failures);
        Assert.Equal(PortMappingProtocol.Pcp, failure.Protocol);
        Assert.Contains("speaks NAT-PMP", failure.Reason);
    }

    [Fact]
    public async Task A_silent_router_gives_a_reason_for_each_protocol_and_no_mapping()
    {
        await using var router = UdpResponder.OnLoopback(_ => null);
        await using var ssdp = UdpResponder.OnLoopback(_ => null);

        var attempt = await Mapper(router, ssdp.Port, PortMappingProtocol.Pcp, PortMappingProtocol.NatPmp, PortMappingProtocol.Upnp)
            .MapAsync(LocalPort, TimeSpan.FromMinutes(2), CancellationToken.None);

        Assert.Null(attempt.Mapping);
        Assert.Equal([PortMappingProtocol.Pcp, PortMappingProtocol.NatPmp, PortMappingProtocol.Upnp], attempt.Failures.Select(failure => failure.Protocol));
        Assert.Contains("no answer from 127.0.0.1", attempt.Failures[0].Reason);
        Assert.Contains("no answer from 127.0.0.1", attempt.Failures[1].Reason);
        Assert.Contains("no UPnP gateway answered", attempt.Failures[2].Reason);
        Assert.True(router.Requests.Count >= 2, "the request is sent again while the router is silent");
    }

    [Fact]
    public async Task A_router_with_nothing_on_the_port_is_a_reason_at_once()
    {
        int closedPort;
        await using (var gone = UdpResponder.OnLoopback(_ => null))
        {
            closedPort = gone.Port;
        }

        var attempt = await new PortMapper(new PortMapperOptions { Gateway = IPAddress.Loopback, ServerPort = closedPort, Protocols = [PortMappingProtocol.Pcp] })
            .MapAsync(LocalPort, TimeSpan.FromMinutes(2), CancellationToken.None);

        Assert.Contains("nothing listens", Assert.Single(attempt.Failures).Reason);
    }

    [Fact]
    public async Task Answers_with_a_wrong_nonce_are_passed_over_and_named_when_the_wait_ends()
    {
        await using var router = UdpResponder.OnLoopback(request =>
        {
            var answer = PcpAnswer(request, lifetime: 120);
            answer[24] ^= 0xff;
            return answer;
        });

        var attempt = await Mapper(router, protocols: PortMappingProtocol.Pcp).MapAsync(LocalPort, TimeSpan.FromMinutes(2), CancellationToken.None);

        Assert.Null(attempt.Mapping);
        Assert.Contains("mismatched nonce", Assert.Single(attempt.Failures).Reason);
    }

    [Fact]
    public async Task Short_and_garbage_packets_are_passed_over_and_named_when_the_wait_ends()
    {
        await using var router = UdpResponder.OnLoopback(request => request[0] == 2 ? [2, 0x81] : [0, 0x80, 0]);

        var attempt = await Mapper(router).MapAsync(LocalPort, TimeSpan.FromMinutes(2), CancellationToken.None);

        Assert.Null(attempt.Mapping);
        Assert.All(attempt.Failures, failure => Assert.Contains("short", failure.Reason));
    }

    [Fact]
    public async Task A_refusal_result_is_named()
    {
        await using var router = UdpResponder.OnLoopback(request =>
        {
            var answer = PcpAnswer(request, lifetime: 120);
            answer[3] = 2;
            return answer;
        });

        var attempt = await Mapper(router, protocols: PortMappingProtocol.Pcp).MapAsync(LocalPort, TimeSpan.FromMinutes(2), CancellationToken.None);

        Assert.Contains("NOT_AUTHORIZED", Assert.Single(attempt.Failures).Reason);
    }

    private static PortMapper Mapper(UdpResponder router, int? ssdpPort = null, params PortMappingProtocol[] protocols) => new(new PortMapperOptions
    {
        Gateway = IPAddress.Loopback,
        ServerPort = router.Port,
        SsdpTarget = new IPEndPoint(IPAddress.Loopback, ssdpPort ?? 9),
        Protocols = protocols.Length > 0 ? protocols : [PortMappingProtocol.Pcp, PortMappingProtocol.NatPmp],
    });

    private static uint Lifetime(byte[] pcpRequest) => BinaryPrimitives.ReadUInt32BigEndian(pcpRequest.AsSpan(4));

    /// <summary>A PCP router's success answer to <paramref name="request"/>: 198.51.100.1:40001 for <paramref name="lifetime"/> seconds.</summary>
    private static byte[] PcpAnswer(byte[] request, uint lifetime)
    {
        var answer = new byte[60];
        request.AsSpan(0, 60).CopyTo(answer);
        answer[1] = 0x81;
        answer[2] = 0;
        answer[3] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(answer.AsSpan(4), Lifetime(request) == 0 ? 0 : lifetime);
        BinaryPrimitives.WriteUInt32BigEndian(answer.AsSpan(8), 1000);
        answer.AsSpan(12, 12).Clear();
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(42), 40001);
        IPAddress.Parse("198.51.100.1").MapToIPv6().TryWriteBytes(answer.AsSpan(44, 16), out _);
        return answer;
    }

    /// <summary>A router of RFC 6886 only: "unsupported version" to PCP, its external address, and port 40002 for an hour.</summary>
    private static byte[]? NatPmpOnly(byte[] request) => request switch
    {
        [2, ..] => [0, 0x81, 0, 1, 0, 0, 0, 0],
        [0, 0] => [0, 128, 0, 0, 0, 0, 0, 5, 198, 51, 100, 1],
        [0, 2, _, _, var high, var low, ..] => [0, 130, 0, 0, 0, 0, 0, 5, high, low, 0x9c, 0x42, 0, 0, 0x0e, 0x10],
        _ => null,
    };
}
