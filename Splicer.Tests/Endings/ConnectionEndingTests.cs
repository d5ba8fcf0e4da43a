using System.Net;
using System.Net.Sockets;
using System.Text;
using Splicer.Accept;
using Splicer.Endings;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Endings;

/// <summary>
/// A connection ends exactly once: the first ending applies (reply, close as it says, release its
/// place, record); every later one, and any once it joined a session, does nothing.
/// </summary>
public sealed class ConnectionEndingTests : IAsyncLifetime
{
    private readonly LoopbackSockets _loopback = new();
    private readonly CountingRecorder _recorder = new();
    private readonly List<Socket> _sockets = [];
    private long _nextId;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _sockets.ForEach(socket => socket.Dispose());
        _loopback.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task An_ended_connection_is_recorded_with_what_is_known_of_it()
    {
        var (connection, admission, _) = await ConnectAsync();
        connection.Identify("abcdefgh", "side-a");

        Assert.True(connection.End(Ends.Redundant));

        var record = Assert.IsType<ConnectionRecord>(Assert.Single(_recorder.Records));
        Assert.Equal(connection.Id, record.Id);
        Assert.Equal("abcdefgh", record.TokenPrefix);
        Assert.Equal("side-a", record.Side);
        Assert.Equal(connection.Remote, record.Remote);
        Assert.Same(Ends.Redundant, record.Ending);
        Assert.False(record.WasPaired);
        Assert.Equal(1, admission.Released);
    }

    [Fact]
    public async Task Only_the_first_ending_applies()
    {
        var (connection, admission, _) = await ConnectAsync();

        Assert.True(await connection.EndAsync(Ends.LeftWhileWaiting));
        Assert.False(connection.End(Ends.Redundant));
        Assert.False(await connection.EndAsync(Ends.Impatient));

        Assert.Same(Ends.LeftWhileWaiting, Assert.Single(_recorder.Records).Ending);
        Assert.Equal(1, admission.Released);
    }

    [Fact]
    public async Task A_connection_is_recorded_once_however_many_threads_end_it_at_once()
    {
        const int rounds = 200;
        Ending[] endings = [Ends.LostWhileWaiting, Ends.Redundant, Ends.Refused(Refusal.RelayFull, "test"), Ends.LeftWhileWaiting];
        var connections = await ConnectManyAsync(rounds);
        var won = new bool[rounds, endings.Length];

        // Half end at once, as the accept path does; half through EndAsync, as the stages do.
        Race.Run(rounds, endings.Length, (round, racer) => won[round, racer] = racer % 2 == 0
            ? connections[round].Connection.End(endings[racer])
            : connections[round].Connection.EndAsync(endings[racer]).AsTask().GetAwaiter().GetResult());

        for (var round = 0; round < rounds; round++)
        {
            var (connection, admission, _) = connections[round];
            var winner = Assert.Single(Enumerable.Range(0, endings.Length), racer => won[round, racer]);
            Assert.Same(endings[winner], Assert.Single(_recorder.Of(connection.Id)).Ending);
            Assert.Equal(1, admission.Released);
        }
    }

    [Fact]
    public async Task A_connection_that_joined_a_session_is_not_ended_or_recorded_by_its_own_ending()
    {
        var (connection, admission, peer) = await ConnectAsync();

        Assert.True(connection.TryJoinSession());
        Assert.False(connection.End(Ends.Redundant));
        Assert.False(await connection.EndAsync(Ends.LostWhileWaiting));

        Assert.Empty(_recorder.Records);
        Assert.Equal(0, admission.Released);
        Assert.True(connection.TrySendLine("ok\n"u8));
        Assert.Equal("ok\n", await ReadLineAsync(peer));
    }

    [Fact]
    public async Task A_connection_that_ended_cannot_join_a_session()
    {
        var (connection, _, _) = await ConnectAsync();
        connection.End(Ends.Redundant);

        Assert.False(connection.TryJoinSession());
    }

    [Fact]
    public async Task Joining_a_session_racing_endings_has_exactly_one_winner()
    {
        const int rounds = 200;
        var connections = await ConnectManyAsync(rounds);
        var won = new bool[rounds, 3];

        Race.Run(rounds, racers: 3, (round, racer) => won[round, racer] = racer switch
        {
            0 => connections[round].Connection.TryJoinSession(),
            1 => connections[round].Connection.End(Ends.Redundant),
            _ => connections[round].Connection.EndAsync(Ends.LeftWhileWaiting).AsTask().GetAwaiter().GetResult(),
        });

        for (var round = 0; round < rounds; round++)
        {
            var (connection, admission, _) = connections[round];
            var winner = Assert.Single(Enumerable.Range(0, 3), racer => won[round, racer]);
            Assert.Equal(winner == 0 ? 0 : 1, _recorder.Of(connection.Id).Count);
            Assert.Equal(winner == 0 ? 0 : 1, admission.Released);
            if (winner == 0)
            {
                connection.CloseInSession(Closing.Fin);
            }
        }
    }

    [Fact]
    public async Task A_reset_closing_resets_the_peer()
    {
        var (connection, _, peer) = await ConnectAsync();

        connection.End(Ends.LostWhileWaiting);

        var error = await Assert.ThrowsAsync<SocketException>(() => peer.ReceiveAsync(new byte[16], SocketFlags.None).WithPatience());
        Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
    }

    [Fact]
    public async Task A_fin_closing_ends_the_stream_without_a_word()
    {
        var (connection, _, peer) = await ConnectAsync();

        connection.End(Ends.NoPartner(TimeSpan.FromMinutes(2)));

        Assert.Equal("", await ReadToEndAsync(peer));
    }

    [Fact]
    public async Task A_reply_then_fin_closing_sends_the_line_then_a_FIN()
    {
        var (connection, _, peer) = await ConnectAsync();

        connection.End(Ends.Refused(Refusal.SourceFull, "test"));

        Assert.Equal($"refused source_full {Refusal.SourceFull.Text}\n", await ReadToEndAsync(peer));
    }

    [Fact]
    public async Task A_reply_then_linger_closing_sends_the_line_then_a_FIN_and_takes_what_the_peer_still_sends_without_a_reset()
    {
        var (connection, _, peer) = await ConnectAsync();
        var unread = new byte[16 * 1024];
        await peer.SendAsync(unread, SocketFlags.None).WithPatience();
        await Patience.Until(() => connection.Socket.Available >= unread.Length, "the peer's bytes to arrive unread");

        var ending = connection.EndAsync(Ends.Impatient);

        Assert.Equal("impatient\n", await ReadToEndAsync(peer));
        await peer.SendAsync(unread, SocketFlags.None).WithPatience();
        peer.Shutdown(SocketShutdown.Send);
        Assert.True(await ending.WithPatience());
        Assert.Equal(0, await peer.ReceiveAsync(new byte[1], SocketFlags.None).WithPatience());
        Assert.Same(Ends.Impatient, Assert.Single(_recorder.Records).Ending);
    }

    [Fact]
    public async Task Ending_without_waiting_still_sends_the_line_then_a_FIN_over_a_few_unread_bytes()
    {
        var (connection, _, peer) = await ConnectAsync();
        await peer.SendAsync("please relay"u8.ToArray(), SocketFlags.None).WithPatience();
        await Patience.Until(() => connection.Socket.Available > 0, "the peer's bytes to arrive unread");

        connection.End(Ends.BadHandshake(12));

        Assert.Equal("bad handshake\n", await ReadToEndAsync(peer));
    }

    private async Task<(RelayConnection Connection, CountingAdmission Admission, Socket Peer)> ConnectAsync()
    {
        var (accepted, peer) = await _loopback.ConnectAsync();
        lock (_sockets)
        {
            _sockets.Add(accepted);
            _sockets.Add(peer);
        }

        var admission = new CountingAdmission();
        var connection = new RelayConnection(Interlocked.Increment(ref _nextId), accepted, (IPEndPoint)accepted.RemoteEndPoint!, admission, _recorder);
        return (connection, admission, peer);
    }

    private async Task<(RelayConnection Connection, CountingAdmission Admission, Socket Peer)[]> ConnectManyAsync(int count)
    {
        var connections = new (RelayConnection, CountingAdmission, Socket)[count];
        for (var i = 0; i < count; i++)
        {
            connections[i] = await ConnectAsync();
        }

        return connections;
    }

    /// <summary>Everything the peer reads up to the relay's FIN; a reset fails the test.</summary>
    private static async Task<string> ReadToEndAsync(Socket peer)
    {
        using var all = new MemoryStream();
        var buffer = new byte[4096];
        int received;
        while ((received = await peer.ReceiveAsync(buffer, SocketFlags.None).WithPatience()) > 0)
        {
            all.Write(buffer, 0, received);
        }

        return Encoding.ASCII.GetString(all.ToArray());
    }

    private static async Task<string> ReadLineAsync(Socket peer)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (await peer.ReceiveAsync(one, SocketFlags.None).WithPatience() == 1 && line.Append((char)one[0])[^1] != '\n')
        {
        }

        return line.ToString();
    }
}
