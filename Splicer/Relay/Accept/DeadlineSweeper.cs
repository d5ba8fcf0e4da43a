using System.Diagnostics;
using Microsoft.Extensions.Options;
using Splicer.Options;

namespace Splicer.Accept;

/// <summary>
/// The deadlines of connections in the handshake and waiting for a partner, kept by one timer (as
/// Kestrel's heartbeat) instead of a timer and a linked token source per connection. Each stage has
/// one timeout, so its connections are due in the order they came: a list per stage, threaded
/// through the connections themselves, is sorted by deadline, and a tick expires from its head.
/// An expired connection's receiving half is shut down, which wakes its pending receive with an
/// end of stream, and <see cref="RelayConnection.ExpiredBy"/> says why; nothing is thrown.
/// </summary>
internal sealed class DeadlineSweeper : IDisposable
{
    private static readonly TimeSpan LongestTick = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ShortestTick = TimeSpan.FromMilliseconds(10);
    private readonly Lock _lock = new();
    private readonly DeadlineList _handshake;
    private readonly DeadlineList _pairing;
    private readonly ITimer _timer;
    private bool _stopping;

    public DeadlineSweeper(IOptions<SplicerOptions> options, TimeProvider time)
    {
        var splicer = options.Value;
        _handshake = new DeadlineList(splicer.HandshakeTimeout, Expiry.HandshakeTimeout);
        _pairing = new DeadlineList(splicer.PairingTimeout, Expiry.PairingTimeout);

        // A deadline is kept to within a quarter of the shorter timeout (at most a second late).
        var tick = TimeSpan.FromTicks(Math.Min(splicer.HandshakeTimeout.Ticks, splicer.PairingTimeout.Ticks) / 4);
        tick = tick < ShortestTick ? ShortestTick : tick > LongestTick ? LongestTick : tick;
        _timer = time.CreateTimer(static state => ((DeadlineSweeper)state!).Sweep(), this, tick, tick);
    }

    /// <summary>Connections whose deadline is kept now (both stages).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _handshake.Count + _pairing.Count;
            }
        }
    }

    /// <summary>Starts the handshake's deadline; once the relay is stopping, the connection expires at once.</summary>
    public void WatchHandshake(RelayConnection connection) => Watch(connection, _handshake);

    /// <summary>Starts the wait for a partner's deadline; once the relay is stopping, the connection expires at once.</summary>
    public void WatchPairing(RelayConnection connection) => Watch(connection, _pairing);

    /// <summary>
    /// Stops the connection's deadline. False when it had none (it expired, or was never watched):
    /// then <see cref="RelayConnection.ExpiredBy"/> tells whether it expired.
    /// </summary>
    public bool TryRelease(RelayConnection connection)
    {
        lock (_lock)
        {
            return connection.DeadlineList is DeadlineList list && list.Remove(connection);
        }
    }

    /// <summary>At stop: every connection still in the handshake or waiting expires now, and every later one at once.</summary>
    public void ExpireAll()
    {
        List<RelayConnection> expired = [];
        lock (_lock)
        {
            _stopping = true;
            _handshake.TakeAll(expired, Expiry.Stopping);
            _pairing.TakeAll(expired, Expiry.Stopping);
        }

        expired.ForEach(static connection => connection.WakePendingReceive());
    }

    public void Dispose() => _timer.Dispose();

    private void Watch(RelayConnection connection, DeadlineList list)
    {
        lock (_lock)
        {
            if (!_stopping)
            {
                list.Add(connection, Stopwatch.GetTimestamp());
                return;
            }

            connection.MarkExpired(Expiry.Stopping);
        }

        connection.WakePendingReceive();
    }

    private void Sweep()
    {
        List<RelayConnection>? expired = null;
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            _handshake.TakeDue(now, ref expired);
            _pairing.TakeDue(now, ref expired);
        }

        expired?.ForEach(static connection => connection.WakePendingReceive());
    }
}

/// <summary>Why a connection's deadline ended it before its stage did.</summary>
internal enum Expiry
{
    None,
    HandshakeTimeout,
    PairingTimeout,
    Stopping,
}

/// <summary>The connections of one stage in deadline order, linked through the connections (no node objects).</summary>
internal sealed class DeadlineList(TimeSpan timeout, Expiry expiry)
{
    private readonly long _timeoutTicks = (long)(timeout.TotalSeconds * Stopwatch.Frequency);
    private RelayConnection? _head;
    private RelayConnection? _tail;

    public int Count { get; private set; }

    public void Add(RelayConnection connection, long now)
    {
        connection.DeadlineList = this;
        connection.DueAt = now + _timeoutTicks;
        connection.PreviousDue = _tail;
        connection.NextDue = null;
        if (_tail is null)
        {
            _head = connection;
        }
        else
        {
            _tail.NextDue = connection;
        }

        _tail = connection;
        Count++;
    }

    public bool Remove(RelayConnection connection)
    {
        if (!ReferenceEquals(connection.DeadlineList, this))
        {
            return false;
        }

        if (connection.PreviousDue is { } previous)
        {
            previous.NextDue = connection.NextDue;
        }
        else
        {
            _head = connection.NextDue;
        }

        if (connection.NextDue is { } next)
        {
            next.PreviousDue = connection.PreviousDue;
        }
        else
        {
            _tail = connection.PreviousDue;
        }

        connection.DeadlineList = null;
        connection.PreviousDue = connection.NextDue = null;
        Count--;
        return true;
    }

    public void TakeDue(long now, ref List<RelayConnection>? expired)
    {
        while (_head is { } due && due.DueAt <= now)
        {
            Take(due, expired ??= [], expiry);
        }
    }

    public void TakeAll(List<RelayConnection> expired, Expiry reason)
    {
        while (_head is { } connection)
        {
            Take(connection, expired, reason);
        }
    }

    private void Take(RelayConnection connection, List<RelayConnection> expired, Expiry reason)
    {
        Remove(connection);
        connection.MarkExpired(reason);
        expired.Add(connection);
    }
}
