using System.Buffers.Binary;
using System.Net;

namespace Splicer.Tests.Client.PortMapping;

/// <summary>
/// The least STUN server (RFC 5389 Binding) that satisfies miniupnpd's start-up check: every request is answered from
/// the same address with the source it came from, so the router learns that its WAN address is reachable as is.
/// miniupnpd wants this because the lab's WAN address is a documentation one, which it would otherwise refuse to map.
/// </summary>
internal static class StunAnswer
{
    private const uint MagicCookie = 0x2112A442;

    public static byte[]? To(byte[] request, IPEndPoint source)
    {
        if (request.Length < 20)
        {
            return null;
        }

        var answer = new byte[32];
        BinaryPrimitives.WriteUInt16BigEndian(answer, 0x0101);
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(2), 12);
        BinaryPrimitives.WriteUInt32BigEndian(answer.AsSpan(4), MagicCookie);
        request.AsSpan(8, 12).CopyTo(answer.AsSpan(8));
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(20), 0x0020);
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(22), 8);
        answer[25] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(26), (ushort)(source.Port ^ (MagicCookie >> 16)));
        BinaryPrimitives.WriteUInt32BigEndian(answer.AsSpan(28), BinaryPrimitives.ReadUInt32BigEndian(source.Address.GetAddressBytes()) ^ MagicCookie);
        return answer;
    }
}
