using System.Net;
using System.Security.Cryptography;
using Splicer.Client.Failures;
using Splicer.Client.Framing;
using Splicer.Client.Links;
using Splicer.Client.Paths.DirectLeg;
using Splicer.Client.Paths.RelayLeg;

namespace Splicer.Client.Paths;

/// <summary>
/// Pairs with the peer through the relay on the token the code gives for a purpose, then opens the end-to-end
/// protection: each side sends a hello (<c>SPE1</c> and 32 random bytes) in the clear, and both derive the two
/// direction keys from the code and both hellos (<see cref="CodeKeys.SessionKey"/>).
/// </summary>
public static class PeerLink
{
    public const int HelloLength = 36;
    private static ReadOnlySpan<byte> Magic => "SPE1"u8;

    /// <param name="mayGoDirect">False for a connection that only carries control messages (a tunnel's lobby): it stays on the relay.</param>
    public static async Task<PeerStream> OpenAsync(
        RelayTarget relay, CodeKeys keys, string purpose, bool encrypted, CancellationToken cancellationToken, string? side = null, bool mayGoDirect = true)
    {
        var direct = encrypted && mayGoDirect && relay.Path != PathChoice.RelayOnly;
        if (!direct && relay.Path == PathChoice.DirectOnly && mayGoDirect)
        {
            throw new ClientFailure("--direct-only needs the end-to-end protection (it proves the direct connection): drop --no-encryption", ClientFailure.Usage);
        }

        var pairing = await PairAsync(relay, keys, purpose, direct, side ?? RelayConnector.NewSide(), cancellationToken);
        var link = pairing.Relay;
        PeerStream? stream = null;
        try
        {
            if (!encrypted)
            {
                return new PlainPeerStream(link);
            }

            var (sealedStream, paths) = await SecureAsync(link, keys, purpose, cancellationToken);
            stream = sealedStream;
            if (direct)
            {
                await DirectAttempt.StartAsync(paths, pairing, relay, cancellationToken);
            }
            else
            {
                paths.NoDirect();
            }

            return sealedStream;
        }
        catch
        {
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }
            else
            {
                link.Dispose();
            }

            throw;
        }
    }

    private static async Task<PunchedPairing> PairAsync(
        RelayTarget relay, CodeKeys keys, string purpose, bool direct, string side, CancellationToken cancellationToken)
    {
        var token = keys.Token(purpose);
        try
        {
            return direct
                ? await RelayConnector.PairForDirectAsync(relay, token, side, [], cancellationToken)
                : new PunchedPairing(await RelayConnector.PairAsync(relay, token, side, cancellationToken), new IPEndPoint(IPAddress.None, 0), null);
        }
        catch (NoPartnerException)
        {
            throw new NoPartnerException(keys.Code.Text());
        }
    }

    /// <summary>
    /// The hello exchange and the keys, over a link already paired with the peer: the sealed stream, and the switch
    /// under it that starts on <paramref name="link"/> and may move to a direct path.
    /// </summary>
    public static async Task<(SealedStream Stream, PathSwitch Paths)> SecureAsync(RelayLink link, CodeKeys keys, string purpose, CancellationToken cancellationToken)
    {
        var mine = new byte[HelloLength];
        Magic.CopyTo(mine);
        RandomNumberGenerator.Fill(mine.AsSpan(Magic.Length));
        var theirs = new byte[HelloLength];
        int received;
        try
        {
            await link.SendAsync(mine, cancellationToken);
            received = await link.ReceiveFullAsync(theirs, cancellationToken);
        }
        catch (IOException error)
        {
            throw new StreamIntegrityException($"the connection to the peer failed during the end-to-end hello: {error.Message}");
        }

        if (received < HelloLength)
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

        var sendKey = keys.SessionKey(purpose, mine, theirs, mine);
        var receiveKey = keys.SessionKey(purpose, mine, theirs, theirs);
        var paths = new PathSwitch(link, new DirectProof(sendKey, receiveKey));
        return (new SealedStream(paths, sendKey, receiveKey), paths);
    }
}
