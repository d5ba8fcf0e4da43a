using System.Net;

namespace Splicer.Handshake;

/// <summary>
/// The optional last field of a native <c>relay</c> line: <c>punch</c> asks the relay to broker a direct path to
/// the partner, and <c>punch=ENDPOINT,…</c> adds endpoints the client knows it can be reached on besides the one
/// the relay sees (its own local address, a port its router mapped). Each endpoint is written as .NET writes an
/// <see cref="IPEndPoint"/>: <c>192.0.2.7:40000</c>, <c>[2001:db8::7]:40000</c>.
/// </summary>
public sealed record PunchRequest(IReadOnlyList<IPEndPoint> Candidates)
{
    public static ReadOnlySpan<byte> Keyword => "punch"u8;

    public const int MaxCandidates = 4;

    /// <summary>The longest endpoint: <c>[</c>, 39 characters of IPv6, <c>]:</c>, 5 of port.</summary>
    private const int MaxEndpointLength = 47;

    /// <summary><c>punch=</c> and <see cref="MaxCandidates"/> of the longest endpoints, comma-separated.</summary>
    public const int MaxFieldLength = 6 + MaxCandidates * (MaxEndpointLength + 1) - 1;

    public static bool IsEndpointCharacter(byte value) =>
        value is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F'
            or (byte)'.' or (byte)':' or (byte)'[' or (byte)']' or (byte)',';

    /// <summary>Reads the field; false unless every endpoint is written exactly as .NET writes it, with a port.</summary>
    public static bool TryParse(string field, out PunchRequest? request)
    {
        request = null;
        if (field == "punch")
        {
            request = new PunchRequest([]);
            return true;
        }

        var candidates = new List<IPEndPoint>();
        foreach (var text in field["punch=".Length..].Split(','))
        {
            if (!IPEndPoint.TryParse(text, out var endpoint) || endpoint.Port == 0 || endpoint.ToString() != text)
            {
                return false;
            }

            candidates.Add(endpoint);
        }

        if (candidates.Count > MaxCandidates)
        {
            return false;
        }

        request = new PunchRequest(candidates);
        return true;
    }

    /// <summary>The field as a client writes it.</summary>
    public static string Format(IEnumerable<IPEndPoint> candidates)
    {
        var written = string.Join(',', candidates.Select(candidate => candidate.ToString()));
        return written.Length == 0 ? "punch" : "punch=" + written;
    }
}
