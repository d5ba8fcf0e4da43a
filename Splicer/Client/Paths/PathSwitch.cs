using Splicer.Client.Failures;
using Splicer.Client.Framing;
using Splicer.Client.Links;
using Splicer.Client.Paths.DirectLeg;

namespace Splicer.Client.Paths;

/// <summary>
/// The live switch under a sealed stream: both directions start on the relay. Once a proven, agreed direct connection
/// is offered (<see cref="UseDirect"/>), this side's next frame is a "moved" frame on the relay and every frame after it
/// goes direct; a "moved" frame from the peer switches reading to the direct connection too. It owns the direct
/// connection; the relay connection is the stream's.
/// </summary>
public sealed class PathSwitch(RelayLink relay, DirectProof proof) : IFrameRoute
{
    private readonly TaskCompletionSource<RelayLink?> _direct = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _sendingMoved;
    private long _sentRelayed;
    private long _sentDirect;
    private long _receivedBytes;
    private long _receivedRelayed;
    private int _disposed;

    /// <summary>Raised once as the stream is disposed (the path summary reads <see cref="BytesByPath"/> then).</summary>
    public event Action<PathSwitch>? Closing;

    /// <summary>What proves a direct connection belongs to this session (keyed by both direction keys).</summary>
    public DirectProof Proof { get; } = proof;

    public RelayLink Sending { get; private set; } = relay;

    public RelayLink Receiving { get; private set; } = relay;

    /// <summary>Payload bytes by path: sent on the relay and direct, received on the relay and direct.</summary>
    public (long SentRelayed, long SentDirect, long ReceivedRelayed, long ReceivedDirect) BytesByPath =>
        (_sentRelayed, _sentDirect, _receivedRelayed, _receivedBytes - _receivedRelayed);

    public bool SendingMoveDue => !_sendingMoved && _direct.Task.IsCompletedSuccessfully && _direct.Task.Result is not null;

    /// <summary>
    /// Offers a proven, agreed direct connection: this side's next frame is a "moved" frame on the relay, and every
    /// frame after it goes on <paramref name="direct"/>; a "moved" frame from the peer switches reading to it.
    /// </summary>
    public void UseDirect(RelayLink direct) => _direct.TrySetResult(direct);

    /// <summary>No direct connection will come: a "moved" frame from the peer is then a broken promise.</summary>
    public void NoDirect() => _direct.TrySetResult(null);

    public void MoveSending()
    {
        Sending = _direct.Task.Result!;
        _sendingMoved = true;
    }

    public async ValueTask MoveReceivingAsync(CancellationToken cancellationToken)
    {
        _receivedRelayed = _receivedBytes;
        Receiving = await _direct.Task.WaitAsync(cancellationToken)
            ?? throw new StreamIntegrityException("the peer moved the stream to a direct connection that this side never agreed to");
    }

    public void CountSent(int payloadLength)
    {
        if (_sendingMoved)
        {
            _sentDirect += payloadLength;
        }
        else
        {
            _sentRelayed += payloadLength;
        }
    }

    public void CountReceived(int payloadLength) => _receivedBytes += payloadLength;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Closing?.Invoke(this);
            _direct.TrySetResult(null);
            if (_direct.Task.Result is { } direct)
            {
                direct.Dispose();
            }
        }
    }
}
