using Splicer.Client.Failures;
using Splicer.Client.Links;

namespace Splicer.Client.Framing;

/// <summary>
/// The bytes as they are (<c>--no-encryption</c>, for measuring): the relay can read and change them, and a cut
/// connection looks like a clean end.
/// </summary>
public sealed class PlainPeerStream(RelayLink link) : PeerStream(link)
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await Link.ReceiveAsync(buffer, cancellationToken);
        }
        catch (IOException error)
        {
            throw new StreamIntegrityException($"the connection to the peer failed: {error.Message}");
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        SendOnAsync(Link, buffer, cancellationToken);

    public override ValueTask CompleteWritesAsync(CancellationToken cancellationToken) => CompleteSendingOnAsync(Link, cancellationToken);
}
