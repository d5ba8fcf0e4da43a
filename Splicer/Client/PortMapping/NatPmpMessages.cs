using System.Buffers.Binary;
using System.Net;

namespace Splicer.Client.PortMapping;

/// <summary>NAT-PMP's requests and answers, read and written exactly (RFC 6886).</summary>
internal static class NatPmpMessages
{
    public const byte Version = 0;
    private const byte ExternalAddressOpcode = 0;
    private const byte MapTcpOpcode = 2;
    private const byte ResponseBit = 0x80;

    public static byte[] WriteExternalAddressRequest() => [Version, ExternalAddressOpcode];

    /// <summary>A TCP mapping request; lifetime 0 deletes, and then the suggested port must be 0 (RFC 6886 section 3.4).</summary>
    public static byte[] WriteMapTcp(int internalPort, int suggestedExternalPort, uint lifetimeSeconds)
    {
        var message = new byte[12];
        message[0] = Version;
        message[1] = MapTcpOpcode;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(4), checked((ushort)internalPort));
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(6), lifetimeSeconds == 0 ? (ushort)0 : checked((ushort)suggestedExternalPort));
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(8), lifetimeSeconds);
        return message;
    }

    public static DatagramAnswer<NatPmpExternalAddress> ReadExternalAddress(ReadOnlySpan<byte> datagram)
    {
        if (Screen<NatPmpExternalAddress>(datagram, ExternalAddressOpcode, 12) is { } problem)
        {
            return problem;
        }

        var address = new IPAddress(datagram.Slice(8, 4));
        return address.Equals(IPAddress.Any)
            ? DatagramAnswer<NatPmpExternalAddress>.Refuse("the router has no external address yet (0.0.0.0)")
            : DatagramAnswer<NatPmpExternalAddress>.Accept(new NatPmpExternalAddress(address, BinaryPrimitives.ReadUInt32BigEndian(datagram[4..])));
    }

    public static DatagramAnswer<NatPmpMapResponse> ReadMapTcp(ReadOnlySpan<byte> datagram, int internalPort, bool deleting)
    {
        if (Screen<NatPmpMapResponse>(datagram, MapTcpOpcode, 16) is { } problem)
        {
            return problem;
        }

        var response = new NatPmpMapResponse(
            BinaryPrimitives.ReadUInt16BigEndian(datagram[8..]),
            BinaryPrimitives.ReadUInt16BigEndian(datagram[10..]),
            BinaryPrimitives.ReadUInt32BigEndian(datagram[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]));
        if (response.InternalPort != internalPort)
        {
            return DatagramAnswer<NatPmpMapResponse>.Ignore($"an answer for another port ({response.InternalPort})");
        }

        return !deleting && (response.ExternalPort == 0 || response.LifetimeSeconds == 0)
            ? DatagramAnswer<NatPmpMapResponse>.Refuse($"the router answered success with an unusable mapping (port {response.ExternalPort}, lifetime {response.LifetimeSeconds}s)")
            : DatagramAnswer<NatPmpMapResponse>.Accept(response);
    }

    public static string ResultName(int result) => result switch
    {
        1 => "unsupported version",
        2 => "not authorized (the router has mappings turned off)",
        3 => "network failure (the router has no external address yet)",
        4 => "out of resources",
        5 => "unsupported opcode",
        _ => $"result code {result}",
    };

    /// <summary>What is wrong with an answer to <paramref name="opcode"/> before its own fields are read; null when nothing.</summary>
    private static DatagramAnswer<T>? Screen<T>(ReadOnlySpan<byte> datagram, byte opcode, int length)
        where T : class
    {
        if (datagram.Length < 4)
        {
            return DatagramAnswer<T>.Ignore($"a short packet ({datagram.Length} bytes)");
        }

        if (datagram[0] == PcpMessages.Version)
        {
            return DatagramAnswer<T>.Refuse("the router speaks PCP, not NAT-PMP");
        }

        if (datagram[0] != Version)
        {
            return DatagramAnswer<T>.Ignore($"a packet of version {datagram[0]}");
        }

        if (datagram[1] != (ResponseBit | opcode))
        {
            return DatagramAnswer<T>.Ignore($"an answer to another request (opcode {datagram[1]})");
        }

        var result = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        if (result != 0)
        {
            return DatagramAnswer<T>.Refuse($"the router refused: {ResultName(result)}");
        }

        return datagram.Length < length ? DatagramAnswer<T>.Ignore($"a short answer ({datagram.Length} bytes)") : null;
    }
}
