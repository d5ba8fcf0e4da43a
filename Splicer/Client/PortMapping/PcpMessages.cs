using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Splicer.Client.PortMapping;

/// <summary>PCP version 2's MAP request and response, read and written exactly (RFC 6887).</summary>
internal static class PcpMessages
{
    public const int Version = 2;
    public const int MapOpcode = 1;
    public const int NonceLength = 12;
    public const int MapLength = 60;
    private const int HeaderLength = 24;
    private const byte ResponseBit = 0x80;
    private const byte Tcp = 6;

    public static byte[] WriteMap(PcpMapRequest request)
    {
        if (request.Nonce.Length != NonceLength)
        {
            throw new ArgumentException($"a PCP nonce is {NonceLength} bytes", nameof(request));
        }

        var message = new byte[MapLength];
        message[0] = Version;
        message[1] = MapOpcode;
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), request.LifetimeSeconds);
        WriteAddress(message.AsSpan(8, 16), request.ClientAddress);
        request.Nonce.Span.CopyTo(message.AsSpan(HeaderLength));
        message[36] = Tcp;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(40), checked((ushort)request.InternalPort));
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(42), checked((ushort)request.SuggestedExternalPort));
        WriteAddress(message.AsSpan(44, 16), request.SuggestedExternalAddress);
        return message;
    }

    /// <summary>Reads a router's answer to <paramref name="request"/>: the mapping, a refusal with the result code's name, or a packet to pass over.</summary>
    public static DatagramAnswer<PcpMapResponse> ReadMap(ReadOnlySpan<byte> datagram, PcpMapRequest request)
    {
        if (datagram.Length < 4)
        {
            return DatagramAnswer<PcpMapResponse>.Ignore($"a short packet ({datagram.Length} bytes)");
        }

        var result = datagram[3];
        if (datagram[0] == NatPmpMessages.Version)
        {
            // RFC 6887 section 9: a NAT-PMP-only server answers a PCP request with its own "unsupported version".
            return DatagramAnswer<PcpMapResponse>.Refuse("the router speaks NAT-PMP, not PCP");
        }

        if (datagram[0] != Version)
        {
            return result == 1
                ? DatagramAnswer<PcpMapResponse>.Refuse($"the router speaks PCP version {datagram[0]} only (UNSUPP_VERSION)")
                : DatagramAnswer<PcpMapResponse>.Ignore($"a packet of version {datagram[0]}");
        }

        if (datagram[1] != (ResponseBit | MapOpcode))
        {
            return DatagramAnswer<PcpMapResponse>.Ignore($"a packet that is not a MAP response (opcode byte 0x{datagram[1]:x2})");
        }

        if (datagram.Length < MapLength)
        {
            return result != 0 && datagram.Length >= HeaderLength
                ? DatagramAnswer<PcpMapResponse>.Refuse($"the router refused: {ResultName(result)}")
                : DatagramAnswer<PcpMapResponse>.Ignore($"a short MAP response ({datagram.Length} bytes)");
        }

        if (!datagram.Slice(HeaderLength, NonceLength).SequenceEqual(request.Nonce.Span))
        {
            return DatagramAnswer<PcpMapResponse>.Ignore("a MAP response with a mismatched nonce");
        }

        if (result != 0)
        {
            return DatagramAnswer<PcpMapResponse>.Refuse($"the router refused: {ResultName(result)}");
        }

        if (datagram[36] != Tcp || BinaryPrimitives.ReadUInt16BigEndian(datagram[40..]) != request.InternalPort)
        {
            return DatagramAnswer<PcpMapResponse>.Ignore("a MAP response for another protocol or port");
        }

        var lifetime = BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]);
        var epoch = BinaryPrimitives.ReadUInt32BigEndian(datagram[8..]);
        var externalPort = BinaryPrimitives.ReadUInt16BigEndian(datagram[42..]);
        var externalAddress = ReadAddress(datagram.Slice(44, 16));
        if (request.LifetimeSeconds > 0 && (lifetime == 0 || externalPort == 0))
        {
            return DatagramAnswer<PcpMapResponse>.Refuse($"the router answered success with an unusable mapping (port {externalPort}, lifetime {lifetime}s)");
        }

        return DatagramAnswer<PcpMapResponse>.Accept(new PcpMapResponse(new IPEndPoint(externalAddress, externalPort), lifetime, epoch));
    }

    public static string ResultName(int result) => result switch
    {
        1 => "UNSUPP_VERSION",
        2 => "NOT_AUTHORIZED (the router does not allow mappings)",
        3 => "MALFORMED_REQUEST",
        4 => "UNSUPP_OPCODE",
        5 => "UNSUPP_OPTION",
        6 => "MALFORMED_OPTION",
        7 => "NETWORK_FAILURE (the router has no external address yet)",
        8 => "NO_RESOURCES",
        9 => "UNSUPP_PROTOCOL",
        10 => "USER_EX_QUOTA (too many mappings for this host)",
        11 => "CANNOT_PROVIDE_EXTERNAL",
        12 => "ADDRESS_MISMATCH (a NAT between this host and the router)",
        13 => "EXCESSIVE_REMOTE_PEERS",
        _ => $"result code {result}",
    };

    /// <summary>IPv4 travels as an IPv4-mapped IPv6 address; "any IPv4" as ::ffff:0.0.0.0 (RFC 6887 section 5).</summary>
    private static void WriteAddress(Span<byte> destination, IPAddress address)
    {
        var mapped = address.AddressFamily == AddressFamily.InterNetwork ? address.MapToIPv6() : address;
        mapped.TryWriteBytes(destination, out _);
    }

    private static IPAddress ReadAddress(ReadOnlySpan<byte> source)
    {
        var address = new IPAddress(source);
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }
}
