using System.Buffers;
using Splicer.Accept;

namespace Splicer.Handshake;

/// <summary>
/// Reads one handshake from a connection (its socket, or its TLS or WebSocket transport), never more than the handshake itself, so that any byte the
/// client sends after it stays in the socket (or the transport) for the next stage to see. The first byte says which
/// handshake it is: <c>s</c> the native one (<see cref="NativeHandshakeGrammar"/>), anything else
/// wormhole's (<see cref="HandshakeGrammar"/>, which refuses all but <c>p</c>).
/// </summary>
internal static class HandshakeReader
{
    /// <summary>What is read first: no more than the shortest line of either handshake, so never past one.</summary>
    private static readonly int FirstRead = Math.Min(HandshakeGrammar.BytesToRead(0), new NativeHandshakeGrammar().BytesToRead());

    public static async ValueTask<HandshakeResult> ReadAsync(RelayConnection connection, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(HandshakeGrammar.NewFormLength, NativeHandshakeGrammar.MaxLength));
        try
        {
            var received = await connection.ReceiveAsync(buffer.AsMemory(0, FirstRead), cancellationToken);
            if (received == 0)
            {
                return HandshakeResult.Closed(0);
            }

            return buffer[0] == NativeHandshakeGrammar.FirstByte
                ? await ReadNativeAsync(connection, buffer, received, cancellationToken)
                : await ReadWormholeAsync(connection, buffer, received, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async ValueTask<HandshakeResult> ReadWormholeAsync(RelayConnection connection, byte[] buffer, int end, CancellationToken cancellationToken)
    {
        var accepted = 0;
        while (true)
        {
            for (; accepted < end; accepted++)
            {
                switch (HandshakeGrammar.Check(buffer.AsSpan(0, accepted), buffer[accepted]))
                {
                    case ByteVerdict.Invalid:
                        return HandshakeResult.Invalid(accepted);
                    case ByteVerdict.Complete:
                        return HandshakeResult.Wormhole(HandshakeGrammar.Parse(buffer.AsSpan(0, accepted + 1)));
                }
            }

            var received = await connection.ReceiveAsync(buffer.AsMemory(accepted, HandshakeGrammar.BytesToRead(accepted)), cancellationToken);
            if (received == 0)
            {
                return HandshakeResult.Closed(accepted);
            }

            end = accepted + received;
        }
    }

    private static async ValueTask<HandshakeResult> ReadNativeAsync(RelayConnection connection, byte[] buffer, int end, CancellationToken cancellationToken)
    {
        var grammar = new NativeHandshakeGrammar();
        while (true)
        {
            for (var at = grammar.Accepted; at < end; at++)
            {
                switch (grammar.Check(buffer[at]))
                {
                    case ByteVerdict.Invalid:
                        return HandshakeResult.InvalidNative(at, grammar.Field);
                    case ByteVerdict.Complete:
                        return NativeHandshakeGrammar.Parse(buffer.AsSpan(0, at + 1)) is { } request
                            ? HandshakeResult.Native(request)
                            : HandshakeResult.InvalidNative(at, NativeField.Punch);
                }
            }

            var received = await connection.ReceiveAsync(buffer.AsMemory(grammar.Accepted, grammar.BytesToRead()), cancellationToken);
            if (received == 0)
            {
                return HandshakeResult.Closed(grammar.Accepted);
            }

            end = grammar.Accepted + received;
        }
    }
}

internal enum HandshakeStatus
{
    /// <summary>wormhole's <c>please relay …</c>.</summary>
    Wormhole,

    /// <summary>A native <c>splicer 1 …</c> line.</summary>
    Native,

    Invalid,
    Closed,
}

/// <param name="WrongField">For a native line that was refused: the part that was wrong; null for wormhole's.</param>
internal readonly record struct HandshakeResult(HandshakeStatus Status, PairingRequest? Request, NativeHandshake? NativeRequest, int ValidBytes, NativeField? WrongField)
{
    public static HandshakeResult Wormhole(PairingRequest request) => new(HandshakeStatus.Wormhole, request, null, 0, null);

    public static HandshakeResult Native(NativeHandshake request) => new(HandshakeStatus.Native, null, request, 0, null);

    public static HandshakeResult Invalid(int validBytes) => new(HandshakeStatus.Invalid, null, null, validBytes, null);

    public static HandshakeResult InvalidNative(int validBytes, NativeField field) => new(HandshakeStatus.Invalid, null, null, validBytes, field);

    public static HandshakeResult Closed(int validBytes) => new(HandshakeStatus.Closed, null, null, validBytes, null);
}
