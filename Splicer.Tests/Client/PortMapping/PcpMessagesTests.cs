using System.Buffers.Binary;
using System.Net;
using Splicer.Client.PortMapping;

namespace Splicer.Tests.Client.PortMapping;

/// <summary>PCP's MAP request and response (RFC 6887 sections 7 and 11), one rule a test, odd answers included.</summary>
public sealed class PcpMessagesTests
{
    private static readonly byte[] Nonce = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    private static readonly PcpMapRequest Request = new(Nonce, IPAddress.Parse("192.0.2.130"), 4001, 4001, IPAddress.Any, 120);

    [Fact]
    public void A_MAP_request_is_60_bytes_of_version_2_opcode_1_with_the_client_address_IPv4_mapped()
    {
        var message = PcpMessages.WriteMap(Request);

        Assert.Equal(60, message.Length);
        Assert.Equal(2, message[0]);
        Assert.Equal(1, message[1]);
        Assert.Equal(120u, BinaryPrimitives.ReadUInt32BigEndian(message.AsSpan(4)));
        Assert.Equal(IPAddress.Parse("::ffff:192.0.2.130"), new IPAddress(message.AsSpan(8, 16)));
        Assert.Equal(Nonce, message[24..36]);
        Assert.Equal(6, message[36]);
        Assert.Equal(4001, BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(40)));
        Assert.Equal(4001, BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(42)));
        Assert.Equal(IPAddress.Parse("::ffff:0.0.0.0"), new IPAddress(message.AsSpan(44, 16)));
    }

    [Fact]
    public void A_success_answer_gives_the_external_endpoint_lifetime_and_epoch()
    {
        var answer = PcpMessages.ReadMap(Answer(), Request);

        Assert.Equal(IPEndPoint.Parse("198.51.100.1:40001"), answer.Value!.External);
        Assert.Equal(120u, answer.Value.LifetimeSeconds);
        Assert.Equal(77u, answer.Value.Epoch);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(23)]
    [InlineData(59)]
    public void A_short_packet_is_passed_over(int length)
    {
        var answer = PcpMessages.ReadMap(Answer().AsSpan(0, length), Request);

        Assert.Null(answer.Value);
        Assert.Null(answer.Refused);
        Assert.Contains("short", answer.Ignored);
    }

    [Fact]
    public void An_answer_with_another_nonce_is_passed_over()
    {
        var datagram = Answer();
        datagram[30] ^= 0xff;

        Assert.Contains("mismatched nonce", PcpMessages.ReadMap(datagram, Request).Ignored);
    }

    [Fact]
    public void An_answer_without_the_response_bit_is_passed_over()
    {
        var datagram = Answer();
        datagram[1] = 1;

        Assert.Contains("not a MAP response", PcpMessages.ReadMap(datagram, Request).Ignored);
    }

    [Theory]
    [InlineData(2, "NOT_AUTHORIZED")]
    [InlineData(8, "NO_RESOURCES")]
    [InlineData(12, "ADDRESS_MISMATCH")]
    [InlineData(99, "result code 99")]
    public void An_error_result_refuses_with_its_name(byte result, string name)
    {
        var datagram = Answer();
        datagram[3] = result;

        Assert.Contains(name, PcpMessages.ReadMap(datagram, Request).Refused);
    }

    [Fact]
    public void An_error_header_without_the_opcode_fields_still_refuses()
    {
        var datagram = Answer()[..24];
        datagram[3] = 2;

        Assert.Contains("NOT_AUTHORIZED", PcpMessages.ReadMap(datagram, Request).Refused);
    }

    [Fact]
    public void A_NAT_PMP_router_answering_with_version_0_refuses_so_NAT_PMP_is_tried()
    {
        byte[] datagram = [0, 0x81, 0, 1, 0, 0, 0, 0];

        Assert.Contains("speaks NAT-PMP", PcpMessages.ReadMap(datagram, Request).Refused);
    }

    [Fact]
    public void A_success_with_lifetime_zero_is_refused_as_unusable()
    {
        var datagram = Answer();
        BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(4), 0);

        Assert.Contains("unusable", PcpMessages.ReadMap(datagram, Request).Refused);
    }

    [Fact]
    public void The_epoch_holds_when_it_moves_with_the_client_clock()
    {
        var epoch = new PcpEpoch();

        Assert.True(epoch.Observe(1000, 50));
        Assert.True(epoch.Observe(1060, 110));
    }

    [Fact]
    public void An_epoch_that_went_back_means_the_router_lost_its_mappings()
    {
        var epoch = new PcpEpoch();
        epoch.Observe(1000, 50);

        Assert.False(epoch.Observe(5, 110));
    }

    [Fact]
    public void An_epoch_that_moved_much_less_than_the_client_clock_means_the_router_restarted()
    {
        var epoch = new PcpEpoch();
        epoch.Observe(1000, 50);

        Assert.False(epoch.Observe(1001, 650));
    }

    private static byte[] Answer()
    {
        var datagram = new byte[60];
        datagram[0] = 2;
        datagram[1] = 0x81;
        BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(4), 120);
        BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(8), 77);
        Nonce.CopyTo(datagram, 24);
        datagram[36] = 6;
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(40), 4001);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(42), 40001);
        IPAddress.Parse("198.51.100.1").MapToIPv6().TryWriteBytes(datagram.AsSpan(44, 16), out _);
        return datagram;
    }
}
