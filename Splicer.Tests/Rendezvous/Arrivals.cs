using System.Net;
using System.Net.Sockets;
using Splicer.Accept;
using Splicer.Handshake;
using Splicer.Options;
using Splicer.Rendezvous;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Rendezvous;

/// <summary>
/// A pairing table and the connections that arrive at it. The table never touches a socket, so every
/// connection here shares one unconnected socket; the table never ends a connection either, so the
/// recorder must stay empty.
/// </summary>
internal sealed class Arrivals : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private long _nextId;

    public Arrivals(int maxWaitingPerToken = 8)
    {
        MaxWaitingPerToken = maxWaitingPerToken;
        Table = new PairingTable(Microsoft.Extensions.Options.Options.Create(new SplicerOptions { MaxWaitingPerToken = maxWaitingPerToken }));
    }

    public int MaxWaitingPerToken { get; }

    public PairingTable Table { get; }

    public CountingRecorder Recorder { get; } = new();

    /// <summary>A connection with its handshake read, not yet at the table.</summary>
    public Arrival Prepare(string token, string? side)
    {
        var id = Interlocked.Increment(ref _nextId);
        var connection = new RelayConnection(id, _socket, new IPEndPoint(IPAddress.Loopback, 1024 + (int)(id % 60000)), new CountingAdmission(), Recorder);
        return new Arrival(connection, new PairingRequest(token, side), Table);
    }

    /// <summary>A connection that arrives at the table now.</summary>
    public Arrival Enter(string token, string? side)
    {
        var arrival = Prepare(token, side);
        arrival.Enter();
        return arrival;
    }

    public void Dispose() => _socket.Dispose();
}

/// <summary>One connection at the pairing table, and what the table and the connection itself said.</summary>
internal sealed class Arrival(RelayConnection connection, PairingRequest request, PairingTable table)
{
    private int _withdrew;

    public RelayConnection Connection { get; } = connection;

    public PairingRequest Request { get; } = request;

    public PairingAttempt Attempt { get; private set; }

    public PairingResult Result => Attempt.Result;

    /// <summary>This connection's own wait state; only for an arrival that was made to wait.</summary>
    public PendingConnection Pending => Result == PairingResult.Waiting ? Attempt.Pending! : throw new InvalidOperationException($"{Result}, not waiting");

    /// <summary>The waiter this arrival claimed; only for an arrival that matched.</summary>
    public PendingConnection Claimed => Result == PairingResult.Matched ? Attempt.Pending! : throw new InvalidOperationException($"{Result}, not matched");

    /// <summary>True once this connection's own withdrawal won (it left, was impatient, or timed out).</summary>
    public bool Withdrew => Volatile.Read(ref _withdrew) == 1;

    public PairingAttempt Enter() => Attempt = table.Enter(Connection, Request);

    /// <summary>Withdraws as the rendezvous stage does (the table lets go once it has won); false if another party decided first.</summary>
    public bool TryWithdraw()
    {
        if (!Pending.TryWithdraw())
        {
            return false;
        }

        Volatile.Write(ref _withdrew, 1);
        table.Leave(Pending);
        return true;
    }
}
