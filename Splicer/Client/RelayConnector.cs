using System.Security.Cryptography;
using System.Text;
using Splicer.Access;
using Splicer.Client.Links;
using Splicer.Handshake;

namespace Splicer.Client;

/// <summary>
/// Dials a relay, presents a pairing token and waits for the partner: the wormhole-style
/// <c>please relay TOKEN for side SIDE</c> line, or the native <c>splicer 1 relay …</c> line signed with the device
/// key when the relay was joined. Returns the link once paired; from then on every byte is the partner's.
/// </summary>
public static class RelayConnector
{
    private const int MaxAnswerLength = 1024;

    public static async Task<RelayLink> PairAsync(RelayTarget target, string token, string side, CancellationToken cancellationToken)
    {
        var link = await RelayDialer.DialAsync(target.Address, target.Trust, cancellationToken);
        try
        {
            if (target.Enrollment is { } enrollment && target.Device is { } device)
            {
                await SendAsync(link, NativeRelayLine(token, side, enrollment, device), cancellationToken);
                Expect(await ReadLineAsync(link, cancellationToken), "ok ");
                Expect(await ReadLineAsync(link, cancellationToken), "paired");
            }
            else
            {
                await SendAsync(link, $"please relay {token} for side {side}\n", cancellationToken);
                Expect(await ReadLineAsync(link, cancellationToken), "ok");
            }

            return link;
        }
        catch
        {
            link.Dispose();
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
    /// <c>refused WORD TEXT</c> line into <see cref="RelayRefusedException"/>.
    /// </summary>
    public static async Task<string> ReadLineAsync(RelayLink link, CancellationToken cancellationToken)
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
                throw new WaitingEndedException(line.Length == 0
                    ? "the relay closed the connection without an answer (no partner came in its pairing time, or it is restarting)"
                    : $"the relay closed the connection in the middle of an answer ('{line}')");
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
