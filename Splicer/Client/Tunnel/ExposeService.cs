using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Splicer.Client.Failures;
using Splicer.Client.Framing;
using Splicer.Client.Paths;
using Splicer.Client.Paths.RelayLeg;

namespace Splicer.Client.Tunnel;

/// <summary>
/// <c>splicer expose PORT</c>: keeps one connection waiting at the relay on the lobby token. A <c>connect</c> that
/// pairs there is given a fresh session id and then asks for connections by number; each becomes its own pair
/// through the relay to the local service. When the relay goes away (a restart), it waits and tries again.
/// </summary>
public sealed class ExposeService(RelayTarget relay, TunnelCode code, EndPoint service)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = new Backoff();
        while (!cancellationToken.IsCancellationRequested)
        {
            PeerStream lobby;
            try
            {
                lobby = await PeerLink.OpenAsync(relay, code.Keys, TunnelCode.LobbyPurpose, encrypted: true, cancellationToken, code.ExposeSide, mayGoDirect: false);
            }
            catch (Exception error) when (error is RelayUnreachableException or WaitingEndedException or StreamIntegrityException
                || (error is RelayRefusedException refused && Backoff.IsPassing(refused)))
            {
                await backoff.WaitAsync(error.Message, cancellationToken);
                continue;
            }

            backoff.Reset();
            _ = ServeSessionAsync(lobby, cancellationToken);
        }
    }

    private async Task ServeSessionAsync(PeerStream lobby, CancellationToken cancellationToken)
    {
        var session = RandomNumberGenerator.GetBytes(TunnelCode.SessionLength);
        Console.Error.WriteLine("A connect joined.");
        try
        {
            await using (lobby)
            {
                await lobby.WriteAsync(session, cancellationToken);
                var number = new byte[8];
                while (await lobby.ReadAtLeastAsync(number, number.Length, throwOnEndOfStream: false, cancellationToken) == number.Length)
                {
                    _ = ServeConnectionAsync(session, BinaryPrimitives.ReadInt64BigEndian(number), cancellationToken);
                }
            }

            Console.Error.WriteLine("A connect left.");
        }
        catch (Exception error) when (error is ClientFailure or IOException or OperationCanceledException)
        {
            Console.Error.WriteLine($"A connect's session ended: {error.Message}");
        }
    }

    private async Task ServeConnectionAsync(byte[] session, long number, CancellationToken cancellationToken)
    {
        try
        {
            var peer = await PeerLink.OpenAsync(relay, code.Keys, TunnelCode.ConnectionPurpose(session, number), encrypted: true, cancellationToken, code.ExposeSide);
            var local = new Socket(service.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await local.ConnectAsync(service, cancellationToken);
            }
            catch (SocketException error)
            {
                local.Dispose();
                await peer.DisposeAsync();
                Console.Error.WriteLine($"Connection {number}: the local service at {service} refused it: {error.Message}");
                return;
            }

            await TunnelSplice.RunAsync(peer, local, cancellationToken);
        }
        catch (Exception error) when (error is ClientFailure or IOException or SocketException or OperationCanceledException)
        {
            Console.Error.WriteLine($"Connection {number} ended: {error.Message}");
        }
    }
}
