using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Splicer.Client.Links;

namespace Splicer.Client.Paths.DirectLeg;

/// <summary>
/// TCP simultaneous open through two NATs, as the relay's broker advised: after the advised wait, dial every
/// endpoint of the peer from the local port the relay connection uses (the NAT mapping the relay saw), again and
/// again within a short window, and accept on that port too. Every connection that comes up is proven
/// (<see cref="DirectProof"/>); the lower side picks the first proven one and says so with one byte, the higher
/// side answers with one byte, and only then does either use it. Everything else is closed.
/// </summary>
public static class DirectPath
{
    private const byte Chosen = 0xC1;
    private const byte Agreed = 0xA1;

    public static async Task<DirectResult> EstablishAsync(IPEndPoint local, PunchAdvice advice, DirectProof proof, DirectPathOptions options, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var attempt = new Attempt(local, proof, options);
        try
        {
            return await attempt.RunAsync(advice, cancellationToken) is { } socket
                ? new DirectResult(socket, $"direct to {socket.RemoteEndPoint}", Stopwatch.GetElapsedTime(started))
                : new DirectResult(null, attempt.Failure, Stopwatch.GetElapsedTime(started));
        }
        finally
        {
            attempt.CloseAllButWinner();
        }
    }

    private sealed class Attempt(IPEndPoint local, DirectProof proof, DirectPathOptions options)
    {
        private readonly ConcurrentBag<Socket> _sockets = [];
        private readonly TaskCompletionSource<Socket?> _winner = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _proving;

        public string Failure { get; private set; } = "no direct connection came up in the window";

        public async Task<Socket?> RunAsync(PunchAdvice advice, CancellationToken cancellationToken)
        {
            var peers = advice.Peer.Where(peer => peer.AddressFamily == local.AddressFamily).ToList();
            if (peers.Count == 0)
            {
                Failure = "the peer has no endpoint of this side's address family";
                return null;
            }

            using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            window.CancelAfter(advice.Wait + options.ExtraDelay + options.Window);
            var arrivals = Channel.CreateUnbounded<Socket>();
            var listener = Track(ReusablePort.BoundTo(local));
            listener.Listen(8);
            var accepting = AcceptAsync(listener, arrivals.Writer, window.Token);
            var start = advice.Wait + options.ExtraDelay;
            var dialling = AfterAsync(start, () => Task.WhenAll(peers.Select(peer => DialAsync(peer, arrivals.Writer, window.Token))), window.Token);
            var birthday = BirthdayAsync(advice, start, arrivals.Writer, window.Token);
            var proving = ProveArrivalsAsync(arrivals.Reader, window.Token);
            using (window.Token.Register(() => _winner.TrySetResult(null)))
            {
                var winner = await _winner.Task;
                await window.CancelAsync();
                await Task.WhenAll(accepting, dialling, birthday, proving);
                return winner;
            }
        }

        public void CloseAllButWinner()
        {
            var winner = _winner.Task.IsCompletedSuccessfully ? _winner.Task.Result : null;
            foreach (var socket in _sockets.Where(socket => socket != winner))
            {
                socket.Dispose();
            }
        }

        private Socket Track(Socket socket)
        {
            _sockets.Add(socket);
            return socket;
        }

        private async Task AcceptAsync(Socket listener, ChannelWriter<Socket> arrivals, CancellationToken window)
        {
            try
            {
                while (true)
                {
                    arrivals.TryWrite(Track(await listener.AcceptAsync(window)));
                }
            }
            catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The window closed (or the listener with it).
            }
        }

        /// <summary>Runs <paramref name="dial"/> once <paramref name="wait"/> is over, unless the window closed first.</summary>
        private static async Task AfterAsync(TimeSpan wait, Func<Task> dial, CancellationToken window)
        {
            try
            {
                await Task.Delay(wait, window);
                await dial();
            }
            catch (OperationCanceledException)
            {
                // The window closed, or another connection won.
            }
        }

        /// <summary>Dials until connected or the window closes: a refused or reset SYN is tried again after a short, jittered pause.</summary>
        private async Task DialAsync(IPEndPoint peer, ChannelWriter<Socket> arrivals, CancellationToken window)
        {
            while (!window.IsCancellationRequested)
            {
                if (await TryConnectAsync(local, peer, arrivals, window))
                {
                    return;
                }

                try
                {
                    await Task.Delay(options.RetryInterval * (0.5 + Random.Shared.NextDouble()), window);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        /// <summary>One connection from <paramref name="from"/> to <paramref name="to"/>, handed to the proofs if it comes up; false if it did not.</summary>
        private async Task<bool> TryConnectAsync(IPEndPoint from, IPEndPoint to, ChannelWriter<Socket> arrivals, CancellationToken window)
        {
            var socket = Track(ReusablePort.BoundTo(from));
            try
            {
                await socket.ConnectAsync(to, window);
                arrivals.TryWrite(socket);
                return true;
            }
            catch (SocketException)
            {
                socket.Dispose();
                return false;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        /// <summary>When only one NAT changes ports: this side's part in birthday probing, each connection tried once.</summary>
        private Task BirthdayAsync(PunchAdvice advice, TimeSpan start, ChannelWriter<Socket> arrivals, CancellationToken window)
        {
            var plan = BirthdayProbing.Plan(advice.Birthday, local, advice.Peer[0], options.BirthdaySockets);
            return plan.Count == 0
                ? Task.CompletedTask
                : AfterAsync(
                    start + (advice.Birthday == BirthdayRole.Probe ? options.ProbeLead : TimeSpan.Zero),
                    () => Task.WhenAll(plan.Select(connection => TryConnectAsync(connection.Local, connection.Remote, arrivals, window))),
                    window);
        }

        private async Task ProveArrivalsAsync(ChannelReader<Socket> arrivals, CancellationToken window)
        {
            var proofs = new List<Task>();
            try
            {
                await foreach (var socket in arrivals.ReadAllAsync(window))
                {
                    proofs.Add(ProveAsync(socket, window));
                }
            }
            catch (OperationCanceledException)
            {
                // The window closed; proofs under way finish or are cancelled with it.
            }

            await Task.WhenAll(proofs);
        }

        /// <summary>The proof and the choice, over the socket as a link (the winner's socket is handed on bare; the link owns nothing more).</summary>
        private async Task ProveAsync(Socket socket, CancellationToken window)
        {
            var link = new TcpLink(socket);
            try
            {
                await link.SendAsync(proof.Mine, window);
                var theirs = new byte[DirectProof.Length];
                if (await link.ReceiveFullAsync(theirs, window) < theirs.Length || !proof.IsPeers(theirs))
                {
                    Failure = $"a connection from {socket.RemoteEndPoint} did not prove it belongs to this session";
                    socket.Dispose();
                    return;
                }

                if (proof.IsLower ? await ChooseAsync(link) : await FollowAsync(link, window))
                {
                    _winner.TrySetResult(socket);
                }
            }
            catch (Exception error) when (error is OperationCanceledException or IOException or ObjectDisposedException)
            {
                socket.Dispose();
            }
        }

        /// <summary>The lower side: the first proven connection is the one; tell the peer, and wait for it to agree.</summary>
        private async Task<bool> ChooseAsync(TcpLink link)
        {
            if (Interlocked.Exchange(ref _proving, 1) == 1)
            {
                return false;
            }

            // Not bound to the window: once chosen, the peer either agrees or has closed the connection (it gave up).
            using var agreement = new CancellationTokenSource(options.AgreementTimeout);
            await link.SendAsync(new[] { Chosen }, agreement.Token);
            var answer = new byte[1];
            if (await link.ReceiveFullAsync(answer, agreement.Token) == 1 && answer[0] == Agreed)
            {
                return true;
            }

            Failure = "the peer gave up before it agreed on the direct connection";
            _winner.TrySetResult(null);
            return false;
        }

        /// <summary>The higher side: the connection the lower side chose is the one; agree on it.</summary>
        private static async Task<bool> FollowAsync(TcpLink link, CancellationToken window)
        {
            var choice = new byte[1];
            if (await link.ReceiveFullAsync(choice, window) < 1 || choice[0] != Chosen)
            {
                return false;
            }

            await link.SendAsync(new[] { Agreed }, CancellationToken.None);
            return true;
        }
    }
}
