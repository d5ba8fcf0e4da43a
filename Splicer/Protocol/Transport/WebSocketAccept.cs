using System.Security.Cryptography;
using System.Text;

namespace Splicer.Transport;

/// <summary>The Sec-WebSocket-Accept value that proves a server read the client's key (RFC 6455 section 4.2.2).</summary>
public static class WebSocketAccept
{
    private const string Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public static string ValueFor(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + Guid)));
}
