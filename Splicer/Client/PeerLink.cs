using System.Net.Sockets;
using System.Security.Cryptography;

namespace Splicer.Client;

/// <summary>
/// Pairs with the peer through the relay on the token the code gives for a purpose, then opens the end-to-end
/// protection: each side sends a hello (<c>SPE1</c> and 32 random bytes) in the clear, and both derive the two
/// direction keys from the code and both hellos (<see cref="CodeKeys.SessionKey"/>).
/// </summary>
public static class PeerLink
{
    public const int HelloLength = 36;
    private static ReadOnlySpan<byte> Magic => "SPE1"u8;

    public static async Task<PeerStream> OpenAsync(
        RelayTarget relay, CodeKeys keys, string purpose, bool encrypted, CancellationToken cancellationToken, string? side = null)
    {
        var socket = await RelayConnector.PairAsync(relay, keys.Token(purpose), side ?? RelayConnector.NewSide(), cancellationToken);
        try
        {
            return encrypted ? await SecureAsync(socket, keys, purpose, cancellationToken) : new PlainPeerStream(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The hello exchange and the keys, over a socket already paired with the peer.</summary>
    public static async Task<SealedStream> SecureAsync(Socket socket, CodeKeys keys, string purpose, CancellationToken cancellationToken)
    {
        var mine = new byte[HelloLength];
        Magic.CopyTo(mine);
        RandomNumberGenerator.Fill(mine.AsSpan(Magic.Length));
        await PeerSockets.SendAllAsync(socket, mine, cancellationToken);

        var theirs = new byte[HelloLength];
        if (await PeerSockets.ReceiveFullAsync(socket, theirs, cancellationToken) < HelloLength)
        {
            throw new StreamIntegrityException("the peer's connection ended before its end-to-end hello");
        }

        if (!theirs.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new StreamIntegrityException("the peer does not speak Splicer's end-to-end protection (did one side use --no-encryption?)");
        }

        if (theirs.AsSpan().SequenceEqual(mine))
        {
            throw new StreamIntegrityException("the peer's hello is this side's own, sent back: the relay reflected it");
        }

        return new SealedStream(
            socket,
            keys.SessionKey(purpose, mine, theirs, mine),
            keys.SessionKey(purpose, mine, theirs, theirs));
    }
}
