using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Splicer.Access;
using Splicer.Handshake;

namespace Splicer.Client;

/// <summary>
/// Dials a relay, presents a pairing token and waits for the partner: the wormhole-style
/// <c>please relay TOKEN for side SIDE</c> line, or the native <c>splicer 1 relay …</c> line signed with the device
/// key when the relay was joined. Returns the socket once paired; from then on every byte is the partner's.
/// </summary>
public static class RelayConnector
{
    private const int MaxAnswerLength = 1024;

    public static async Task<Socket> PairAsync(RelayTarget target, string token, string side, CancellationToken cancellationToken)
    {
        var socket = await DialAsync(target.Address, cancellationToken);
        try
        {
            if (target.Enrollment is { } enrollment && target.Device is { } device)
            {
                await SendAsync(socket, NativeRelayLine(token, side, enrollment, device), cancellationToken);
                Expect(await ReadLineAsync(socket, cancellationToken), "ok ");
                Expect(await ReadLineAsync(socket, cancellationToken), "paired");
            }
            else
            {
                await SendAsync(socket, $"please relay {token} for side {side}\n", cancellationToken);
                Expect(await ReadLineAsync(socket, cancellationToken), "ok");
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A fresh side: 16 random word characters.</summary>
    public static string NewSide() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(HandshakeGrammar.SideLength / 2));

    public static async Task<Socket> DialAsync(RelayAddress address, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(address.Host, address.Port, cancellationToken);
            return socket;
        }
        catch (SocketException error)
        {
            socket.Dispose();
            throw new RelayUnreachableException($"cannot reach the relay at {address}: {error.Message}");
        }
    }

    public static ValueTask<int> SendAsync(Socket socket, string line, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.ASCII.GetBytes(line), SocketFlags.None, cancellationToken);

    /// <summary>
    /// Reads one answer line a byte at a time, never past its newline (what follows is the partner's), and turns a
    /// <c>refused WORD TEXT</c> line into <see cref="RelayRefusedException"/>.
    /// </summary>
    public static async Task<string> ReadLineAsync(Socket socket, CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (line.Length < MaxAnswerLength)
        {
            int read;
            try
            {
                read = await socket.ReceiveAsync(one, SocketFlags.None, cancellationToken);
            }
            catch (SocketException error)
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
