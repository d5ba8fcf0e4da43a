using System.Net;
using System.Security.Cryptography;
using System.Text;
using Splicer.Access;
using Splicer.Client.Config;
using Splicer.Client.Failures;
using Splicer.Client.Links;
using Splicer.Client.Paths.DirectLeg;
using Splicer.Client.PortMapping;
using Splicer.Handshake;

namespace Splicer.Client.Paths.RelayLeg;

/// <summary>
/// Dials a relay, presents a pairing token and waits for the partner: the wormhole-style
/// <c>please relay TOKEN for side SIDE</c> line, or the native <c>splicer 1 relay …</c> line signed with the device
/// key when the relay was joined. Returns the link once paired; from then on every byte is the partner's.
/// </summary>
public static class RelayConnector
{
    private const int MaxAnswerLength = 1024;

    public static async Task<RelayLink> PairAsync(RelayTarget target, string token, string side, CancellationToken cancellationToken) =>
        (await PairAsync(target, token, side, punch: null, cancellationToken)).Relay;

    /// <summary>
    /// As <see cref="PairAsync(RelayTarget, string, string, CancellationToken)"/>, asking a joined relay's broker for a
    /// direct path (the <c>punch</c> field, announcing <paramref name="extraCandidates"/> besides the local endpoint),
    /// from a socket whose port the direct dials may share. Against a relay not joined, pairs as usual, with no advice.
    /// </summary>
    public static Task<PunchedPairing> PairForDirectAsync(
        RelayTarget target, string token, string side, IReadOnlyList<IPEndPoint> extraCandidates, CancellationToken cancellationToken) =>
        PairAsync(target, token, side, extraCandidates, cancellationToken);

    private static async Task<PunchedPairing> PairAsync(
        RelayTarget target, string token, string side, IReadOnlyList<IPEndPoint>? punch, CancellationToken cancellationToken)
    {
        var native = target.Enrollment is not null && target.Device is not null;
        var link = await RelayDialer.DialAsync(target.Address, target.Trust, cancellationToken, reusablePort: punch is not null && native);
        PortMapping.PortMapping? mapping = null;
        try
        {
            var local = (IPEndPoint)link.Socket.LocalEndPoint!;
            PunchAdvice? advice = null;
            if (native)
            {
                mapping = punch is null ? null : await RouterMapping.TryAsync(local, cancellationToken);
                var candidates = mapping is null ? punch : punch!.Append(mapping.ExternalEndPoint);
                var field = candidates is null ? "" : " " + PunchRequest.Format(candidates.Prepend(local).Distinct().Take(PunchRequest.MaxCandidates));
                await SendAsync(link, NativeRelayLine(token, side, target.Enrollment!, target.Device!)[..^1] + field + "\n", cancellationToken);
                Expect(await ReadLineAsync(link, cancellationToken), "ok ");
                var paired = await WaitingNotice.WhileAsync(ReadLineAsync(link, cancellationToken, waitingForPartner: true), target.Waiting, cancellationToken);
                Expect(paired.Split(' ')[0], "paired");
                advice = PunchAdvice.FromPairedLine(paired);
            }
            else
            {
                await SendAsync(link, $"please relay {token} for side {side}\n", cancellationToken);
                Expect(await WaitingNotice.WhileAsync(ReadLineAsync(link, cancellationToken, waitingForPartner: true), target.Waiting, cancellationToken), "ok");
            }

            return new PunchedPairing(link, local, advice, mapping);
        }
        catch
        {
            link.Dispose();
            if (mapping is not null)
            {
                await mapping.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>A fresh side: 16 random word characters.</summary>
    public static string NewSide() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(HandshakeGrammar.SideLength / 2));

    public static async ValueTask SendAsync(RelayLink link, string line, CancellationToken cancellationToken)
    {
        try
        {
            await link.SendAsync(Encoding.ASCII.GetBytes(line), cancellationToken);
        }
        catch (IOException error)
        {
            throw new WaitingEndedException($"the relay connection failed: {error.Message}");
        }
    }

    /// <summary>
    /// Reads one answer line a byte at a time, never past its newline (what follows is the partner's), and turns a
    /// <c>refused WORD TEXT</c> line into <see cref="RelayRefusedException"/>; a close without an answer while the side
    /// waits for its partner into <see cref="NoPartnerException"/>.
    /// </summary>
    public static async Task<string> ReadLineAsync(RelayLink link, CancellationToken cancellationToken, bool waitingForPartner = false)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (line.Length < MaxAnswerLength)
        {
            int read;
            try
            {
                read = await link.ReceiveAsync(one, cancellationToken);
            }
            catch (IOException error)
            {
                throw new WaitingEndedException($"the relay connection failed: {error.Message}");
            }

            if (read == 0)
            {
                throw line.Length > 0 ? new WaitingEndedException($"the relay closed the connection in the middle of an answer ('{line}')")
                    : waitingForPartner ? new NoPartnerException()
                    : new WaitingEndedException("the relay closed the connection without an answer (it may be restarting)");
            }

            if (one[0] == '\n')
            {
                var text = line.ToString();
                if (text.StartsWith("refused ", StringComparison.Ordinal))
                {
                    var parts = text.Split(' ', 3);
                    throw new RelayRefusedException(parts.Length > 1 ? parts[1] : "", parts.Length > 2 ? parts[2] : "");
                }

                return text;
            }

            line.Append(one[0] is >= 0x20 and < 0x7f ? (char)one[0] : '?');
        }

        throw new ClientFailure("the relay's answer is too long: is this a Splicer or transit relay?");
    }

    private static void Expect(string answer, string start)
    {
        if (answer == start.TrimEnd() || (start.EndsWith(' ') && answer.StartsWith(start, StringComparison.Ordinal)))
        {
            return;
        }

        throw new ClientFailure(answer switch
        {
            "bad handshake" => "the relay did not understand the handshake ('bad handshake')",
            "impatient" => "the relay says the client spoke before it was paired ('impatient')",
            _ => $"unexpected answer from the relay: '{answer}'",
        });
    }

    private static string NativeRelayLine(string token, string side, RememberedRelay enrollment, DeviceKey device)
    {
        var time = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var proof = ProofOfPossession.Sign(device, ProofOfPossession.RelayMessage(token, side, enrollment.Credential, enrollment.RelayName, time));
        return $"splicer 1 relay {token} {side} {enrollment.Credential} {time} {proof}\n";
    }
}
