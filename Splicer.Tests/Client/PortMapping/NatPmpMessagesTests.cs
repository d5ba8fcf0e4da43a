using System.Buffers.Binary;
using System.Net;
using Splicer.Client.PortMapping;

namespace Splicer.Tests.Client.PortMapping;

/// <summary>NAT-PMP's requests and answers (RFC 6886 section 3), odd answers included.</summary>
public sealed class NatPmpMessagesTests
{
    [Fact]
    public void The_external_address_request_is_version_0_opcode_0()
    {
        Assert.Equal([0, 0], NatPmpMessages.WriteExternalAddressRequest());
    }

    [Fact]
    public void A_TCP_map_request_carries_ports_and_lifetime_big_endian()
    {
        Assert.Equal([0, 2, 0, 0, 0x0f, 0xa1, 0x0f, 0xa2, 0, 0, 0, 120], NatPmpMessages.WriteMapTcp(4001, 4002, 120));
    }

    [Fact]
    public void A_delete_is_lifetime_0_with_suggested_port_0()
    {
        Assert.Equal([0, 2, 0, 0, 0x0f, 0xa1, 0, 0, 0, 0, 0, 0], NatPmpMessages.WriteMapTcp(4001, 4002, 0));
    }

    [Fact]
    public void The_external_address_answer_gives_the_address()
    {
        byte[] datagram = [0, 128, 0, 0, 0, 0, 0, 9, 198, 51, 100, 1];

        Assert.Equal(IPAddress.Parse("198.51.100.1"), NatPmpMessages.ReadExternalAddress(datagram).Value!.Address);
    }

    [Fact]
    public void An_external_address_of_0_0_0_0_refuses()
    {
        byte[] datagram = [0, 128, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0];

        Assert.Contains("no external address", NatPmpMessages.ReadExternalAddress(datagram).Refused);
    }

    [Fact]
    public void A_map_answer_gives_the_mapped_port_and_lifetime()
    {
        var answer = NatPmpMessages.ReadMapTcp(MapAnswer(), 4001, deleting: false);

        Assert.Equal(40001, answer.Value!.ExternalPort);
        Assert.Equal(3600u, answer.Value.LifetimeSeconds);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(11)]
    [InlineData(15)]
    public void A_short_answer_is_passed_over(int length)
    {
        var answer = NatPmpMessages.ReadMapTcp(MapAnswer().AsSpan(0, length), 4001, deleting: false);

        Assert.Null(answer.Value);
        Assert.Contains("short", answer.Ignored);
    }

    [Fact]
    public void An_answer_for_another_internal_port_is_passed_over()
    {
        Assert.Contains("another port", NatPmpMessages.ReadMapTcp(MapAnswer(), 4002, deleting: false).Ignored);
    }

    [Fact]
    public void An_answer_to_another_opcode_is_passed_over()
    {
        var datagram = MapAnswer();
        datagram[1] = 129;

        Assert.Contains("another request", NatPmpMessages.ReadMapTcp(datagram, 4001, deleting: false).Ignored);
    }

    [Theory]
    [InlineData(2, "not authorized")]
    [InlineData(3, "network failure")]
    [InlineData(4, "out of resources")]
    [InlineData(300, "result code 300")]
    public void An_error_result_refuses_with_its_meaning(ushort result, string meaning)
    {
        var datagram = MapAnswer();
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(2), result);

        Assert.Contains(meaning, NatPmpMessages.ReadMapTcp(datagram, 4001, deleting: false).Refused);
    }

    [Fact]
    public void A_PCP_only_router_answering_with_version_2_refuses()
    {
        byte[] datagram = [2, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

        Assert.Contains("speaks PCP", NatPmpMessages.ReadMapTcp(datagram, 4001, deleting: false).Refused);
    }

    [Fact]
    public void A_success_with_port_0_is_unusable_unless_deleting()
    {
        var datagram = MapAnswer();
        datagram[10] = 0;
        datagram[11] = 0;

        Assert.Contains("unusable", NatPmpMessages.ReadMapTcp(datagram, 4001, deleting: false).Refused);
        Assert.NotNull(NatPmpMessages.ReadMapTcp(datagram, 4001, deleting: true).Value);
    }

    private static byte[] MapAnswer()
    {
        var datagram = new byte[16];
        datagram[1] = 130;
        BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(4), 9);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(8), 4001);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(10), 40001);
        BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(12), 3600);
        return datagram;
    }
}
