using System.Net;
using System.Net.Sockets;
using Splicer.Access;

namespace Splicer.Client.Direct;

/// <summary>
/// Pairs through a joined relay as <see cref="RelayConnector"/> does, from a reusable port, asking the broker for a
/// direct path (<c>punch</c> and the candidates this side announces): the socket to the relay, its local endpoint
/// (where the direct dials leave from), and the broker's advice (null when the partner did not ask).
/// </summary>
public static class PunchingPairer
{
    public static async Task<PunchedPairing> PairAsync(
        RelayTarget target, string token, string side, IReadOnlyList<IPEndPoint> extraCandidates, CancellationToken cancellationToken)
    {
        if (target.Enrollment is not { } enrollment || target.Device is not { } device)
        {
            throw new ClientFailure("a direct path is brokered only by a joined relay (the native handshake): run 'splicer join INVITE' first", ClientFailure.Usage);
        }

        var socket = await DialAsync(target.Address, cancellationToken);
        try
        {
            var local = (IPEndPoint)socket.LocalEndPoint!;
            var time = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var proof = ProofOfPossession.Sign(device, ProofOfPossession.RelayMessage(token, side, enrollment.Credential, enrollment.RelayName, time));
            var candidates = extraCandidates.Prepend(local).Distinct().Take(Handshake.PunchRequest.MaxCandidates);
            await RelayConnector.SendAsync(
                socket, $"splicer 1 relay {token} {side} {enrollment.Credential} {time} {proof} {Handshake.PunchRequest.Format(candidates)}\n", cancellationToken);
            Expect(await RelayConnector.ReadLineAsync(socket, cancellationToken), "ok ");
            var paired = await RelayConnector.ReadLineAsync(socket, cancellationToken);
            Expect(paired, "paired");
            return new PunchedPairing(socket, local, PunchAdvice.FromPairedLine(paired));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<Socket> DialAsync(RelayAddress address, CancellationToken cancellationToken)
    {
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(address.Host, cancellationToken);
            var remote = new IPEndPoint(addresses.First(), address.Port);
            var socket = ReusablePort.NewSocket(remote.AddressFamily);
            try
            {
                await socket.ConnectAsync(remote, cancellationToken);
                return socket;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        catch (SocketException error)
        {
            throw new RelayUnreachableException($"cannot reach the relay at {address}: {error.Message}");
        }
    }

    private static void Expect(string answer, string start)
    {
        if (!answer.StartsWith(start, StringComparison.Ordinal))
        {
            throw new ClientFailure($"unexpected answer from the relay: '{answer}'");
        }
    }
}

/// <param name="Relay">The connection to the relay, paired: every byte on it from now on is the partner's.</param>
/// <param name="Local">Its local endpoint, which the direct dials share.</param>
/// <param name="Advice">The broker's advice; null when the partner did not ask for a direct path.</param>
public sealed record PunchedPairing(Socket Relay, IPEndPoint Local, PunchAdvice? Advice);
