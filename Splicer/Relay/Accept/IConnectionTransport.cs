namespace Splicer.Accept;

/// <summary>
/// What a connection that is not plain TCP speaks through: TLS, WebSocket, or WebSocket over TLS.
/// The transport stage sets it up; the stages after it read, write and close through it, and a
/// plain TCP connection has none (so its bytes keep the kernel path).
/// </summary>
internal interface IConnectionTransport : IDisposable
{
    /// <summary>The transport's label: <c>tls</c>, <c>ws</c> or <c>wss</c> (plain TCP is <c>tcp</c>).</summary>
    string Name { get; }

    /// <summary>Bytes the client sent that are held for the next reader (before pairing, or pushed back by a sniff).</summary>
    int HeldBytes { get; }

    /// <summary>Reads the client's bytes; 0 once it has ended its sending half (a FIN, close_notify or a Close frame).</summary>
    ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Sends bytes to the client (as one binary message on a WebSocket).</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Ends the relay's sending half: a WebSocket Close frame, or close_notify and a FIN.</summary>
    ValueTask CloseSendingAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Reads what a waiting client sends and holds it for its session; false once the client has
    /// closed. Cancelling stops the wait, not the read underneath: bytes it brings are still held.
    /// </summary>
    Task<bool> HoldAsync(CancellationToken cancellationToken);
}
