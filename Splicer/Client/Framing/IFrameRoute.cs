using Splicer.Client.Links;

namespace Splicer.Client.Framing;

/// <summary>
/// The connections a <see cref="SealedStream"/>'s frames travel on: one its frames go out on, one they are read
/// from, at first the same. Between two frames the route may move this side's sending to another connection (the
/// stream first sends a "moved" frame on the old one and ends its sending there); the peer's "moved" frame moves the
/// reading. The stream owns its route and disposes it; the connection it started on is the stream's own.
/// </summary>
public interface IFrameRoute : IDisposable
{
    RelayLink Sending { get; }

    RelayLink Receiving { get; }

    /// <summary>Whether this side's sending moves before its next frame.</summary>
    bool SendingMoveDue { get; }

    /// <summary>This side's "moved" frame went out and its sending on <see cref="Sending"/> ended: later frames go on the new connection.</summary>
    void MoveSending();

    /// <summary>
    /// The peer's "moved" frame arrived: reading goes on on the connection the peer moved to (waiting for it if need
    /// be), or a <see cref="Failures.StreamIntegrityException"/> when this side never agreed to a move.
    /// </summary>
    ValueTask MoveReceivingAsync(CancellationToken cancellationToken);

    /// <summary>One frame's payload bytes went out on <see cref="Sending"/>.</summary>
    void CountSent(int payloadLength);

    /// <summary>One frame's payload bytes arrived on <see cref="Receiving"/> and passed their tag.</summary>
    void CountReceived(int payloadLength);
}
