using System.Buffers;
using System.Net.Sockets;

namespace Splicer.Handshake;

/// <summary>
/// Reads one handshake from a socket, never more than the handshake itself, so that any byte the
/// client sends after it stays in the socket for the next stage to see.
/// </summary>
internal static class HandshakeReader
{
    public static async ValueTask<HandshakeResult> ReadAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(HandshakeGrammar.NewFormLength);
        try
        {
            var accepted = 0;
            while (true)
            {
                var wanted = HandshakeGrammar.BytesToRead(accepted);
                var received = await socket.ReceiveAsync(buffer.AsMemory(accepted, wanted), SocketFlags.None, cancellationToken);
                if (received == 0)
                {
                    return HandshakeResult.Closed(accepted);
                }

                var end = accepted + received;
                for (; accepted < end; accepted++)
                {
                    switch (HandshakeGrammar.Check(buffer.AsSpan(0, accepted), buffer[accepted]))
                    {
                        case ByteVerdict.Invalid:
                            return HandshakeResult.Invalid(accepted);
                        case ByteVerdict.Complete:
                            return HandshakeResult.Accepted(HandshakeGrammar.Parse(buffer.AsSpan(0, accepted + 1)));
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

internal enum HandshakeStatus
{
    Accepted,
    Invalid,
    Closed,
}

internal readonly record struct HandshakeResult(HandshakeStatus Status, PairingRequest? Request, int ValidBytes)
{
    public static HandshakeResult Accepted(PairingRequest request) => new(HandshakeStatus.Accepted, request, 0);

    public static HandshakeResult Invalid(int validBytes) => new(HandshakeStatus.Invalid, null, validBytes);

    public static HandshakeResult Closed(int validBytes) => new(HandshakeStatus.Closed, null, validBytes);
}
