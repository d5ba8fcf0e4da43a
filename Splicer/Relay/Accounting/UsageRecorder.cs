using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Splicer.Endings;
using Splicer.Governance;
using Splicer.Splice;
using Splicer.State;

namespace Splicer.Accounting;

/// <summary>
/// Keeps usage on disk, off the hot path: an ended session's record is queued (no I/O on the socket
/// thread), and one background writer takes what has queued, adds a checkpoint of every running
/// session each <c>Splicer:Usage:CheckpointInterval</c>, and writes it all in one transaction. At start
/// it turns what a killed run left behind into rows and prunes rows past the retention; at stop it
/// writes what is still queued. A failed write is logged and counted, and its entries are tried again
/// with the next batch.
/// </summary>
internal sealed partial class UsageRecorder : BackgroundService, ISessionRecorder
{
    /// <summary>Ended sessions waiting to be written; beyond this, records are dropped and counted (the disk has stalled).</summary>
    public const int QueueCapacity = 100_000;

    private const int MaxRetried = QueueCapacity;

    private static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    private readonly Channel<UsageEntry> _queue = Channel.CreateBounded<UsageEntry>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly UsageStore _store;
    private readonly SessionRegistry _sessions;
    private readonly UsageOptions _options;
    private readonly UsageBlur? _blur;
    private readonly TimeProvider _clock;
    private readonly ILogger<UsageRecorder> _logger;
    private readonly long[] _bytesByDoorKind = new long[DoorKinds.Length * OutcomeCount];
    private readonly List<(SpliceSession Session, long Bytes)> _checkpointsPending = [];

    // Bytes on disk of the sessions that have a checkpoint; and the ended sessions whose final row is not
    // written yet, with the bytes it will add: what quotas must still count until the row is there.
    private readonly ConcurrentDictionary<long, long> _onDisk = new();
    private readonly ConcurrentDictionary<long, EndedNotOnDisk> _endedNotOnDisk = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _written;
    private long _batches;
    private long _writeFailures;
    private long _dropped;
    private double _largestDoorQuotaShare;
    private double _largestIdentityQuotaShare;
    private long _nextQuotaShares;

    public UsageRecorder(UsageStore store, SessionRegistry sessions, IOptions<UsageOptions> options, TimeProvider clock, ILogger<UsageRecorder> logger)
    {
        _store = store;
        _sessions = sessions;
        _options = options.Value;
        _blur = _options.Blur is { } blur ? new UsageBlur(blur) : null;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>The door kinds metrics know; bounded, never an identity.</summary>
    public static readonly string[] DoorKinds = [UsageParties.NoDoor, "address", "invite"];

    private static readonly int OutcomeCount = Enum.GetValues<Outcome>().Length;

    /// <summary>This process's run: checkpoints of other runs are what a killed process left behind.</summary>
    public string Run { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Entries written since start (checkpoints and ended sessions).</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Batches written; grows after a batch's checkpoints are on disk and marked on their sessions.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Transactions that failed (the state store could not write); the entries are kept for the next.</summary>
    public long WriteFailures => Interlocked.Read(ref _writeFailures);

    /// <summary>Ended sessions not kept because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>The largest share of its byte quota an open door has used, as of a recent batch.</summary>
    public double LargestDoorQuotaShare => Volatile.Read(ref _largestDoorQuotaShare);

    /// <summary>The largest share of its byte quota an identity has used, as of a recent batch.</summary>
    public double LargestIdentityQuotaShare => Volatile.Read(ref _largestIdentityQuotaShare);

    /// <summary>The quota shares are read again after a batch at most this often: a gauge, not the enforcement.</summary>
    private static readonly TimeSpan QuotaSharesInterval = TimeSpan.FromSeconds(5);

    /// <summary>Ended sessions whose final row is not on disk yet, with the bytes it will add to the totals.</summary>
    public ICollection<EndedNotOnDisk> EndedNotWritten => _endedNotOnDisk.Values;

    /// <summary>Completes once the start-up work (interrupted runs, pruning) is done.</summary>
    public Task Started => _started.Task;

    /// <summary>Bytes of ended sessions by door kind and outcome, for metrics.</summary>
    public long BytesOf(int doorKind, Outcome outcome) => Interlocked.Read(ref _bytesByDoorKind[doorKind * OutcomeCount + (int)outcome]);

    public void Record(EndedRecord record)
    {
        if (record is not SessionRecord session)
        {
            return;
        }

        var doorKind = Array.IndexOf(DoorKinds, UsageParties.DoorKind(session));
        Interlocked.Add(ref _bytesByDoorKind[Math.Max(0, doorKind) * OutcomeCount + (int)session.Outcome], session.BytesAToB + session.BytesBToA);

        var now = _clock.GetUtcNow();
        var (a, b) = UsageParties.Of(session);
        var entry = new UsageEntry(Run, session.Id, now - session.Duration, now, session.BytesAToB, session.BytesBToA,
            session.TokenPrefix, a, b, session.Outcome.Name());
        var bytes = session.BytesAToB + session.BytesBToA;
        _endedNotOnDisk[session.Id] = new EndedNotOnDisk(a, b, Math.Max(0, bytes - _onDisk.GetValueOrDefault(session.Id)));
        if (!_queue.Writer.TryWrite(entry))
        {
            _endedNotOnDisk.TryRemove(session.Id, out _);
            Interlocked.Increment(ref _dropped);
        }
    }

    private static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(50);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await StartUpAsync(stoppingToken);
        var pending = new List<UsageEntry>();
        var nextCheckpoint = _clock.GetTimestamp();
        var nextPrune = _clock.GetTimestamp();
        try
        {
            while (true)
            {
                var untilCheckpoint = _clock.GetElapsedTime(_clock.GetTimestamp(), nextCheckpoint);
                if (untilCheckpoint > TimeSpan.Zero)
                {
                    using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    wake.CancelAfter(untilCheckpoint);
                    try
                    {
                        await _queue.Reader.WaitToReadAsync(wake.Token);
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                        // The checkpoint is due.
                    }
                }

                // Let a busy relay's endings gather for a moment: one transaction (and one fsync) for many.
                await Task.Delay(BatchWindow, stoppingToken);
                Drain(pending);
                if (_clock.GetTimestamp() >= nextCheckpoint)
                {
                    AddCheckpoints(pending);
                    nextCheckpoint = _clock.GetTimestamp() + (long)(_options.CheckpointInterval.TotalSeconds * _clock.TimestampFrequency);
                }

                await WriteAsync(pending, stoppingToken);
                if (_clock.GetTimestamp() >= nextPrune)
                {
                    await PruneAsync(stoppingToken);
                    nextPrune = _clock.GetTimestamp() + (long)(PruneInterval.TotalSeconds * _clock.TimestampFrequency);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is queued is written below, without the stopping token.
        }

        Drain(pending);
        AddCheckpoints(pending);
        await WriteAsync(pending, CancellationToken.None);
    }

    private async Task StartUpAsync(CancellationToken stoppingToken)
    {
        try
        {
            var finished = await _store.FinishInterruptedAsync(Run, _blur, stoppingToken);
            if (finished > 0)
            {
                LogInterrupted(_logger, finished);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Interlocked.Increment(ref _writeFailures);
            LogWriteFailed(_logger, ex, 0);
        }
        finally
        {
            _started.TrySetResult();
        }
    }

    private void Drain(List<UsageEntry> pending)
    {
        while (pending.Count < MaxRetried && _queue.Reader.TryRead(out var entry))
        {
            pending.Add(entry);
        }
    }

    /// <summary>
    /// The running sessions' counts now. Read after the queue was drained: a session leaves the registry
    /// before its record is queued, so a session seen here has its final entry still to come.
    /// </summary>
    private void AddCheckpoints(List<UsageEntry> pending)
    {
        var now = _clock.GetUtcNow();
        foreach (var session in _sessions.Sessions)
        {
            var (a, b) = UsageParties.Of(session);
            var (aToB, bToA) = (session.AToB.Bytes, session.BToA.Bytes);
            pending.Add(new UsageEntry(Run, session.Id, now - session.Age, now, aToB, bToA, session.TokenPrefix, a, b, Outcome: null));
            _checkpointsPending.Add((session, aToB + bToA));
        }
    }

    private async Task WriteAsync(List<UsageEntry> pending, CancellationToken cancellationToken)
    {
        if (pending.Count == 0)
        {
            return;
        }

        try
        {
            await _store.WriteAsync(pending, _blur, cancellationToken);

            // The batch count moves before the bytes leave the in-memory figures: whoever sees them gone
            // (the quota meter reads those first) then sees the new count and reads the totals again.
            Interlocked.Add(ref _written, pending.Count);
            Interlocked.Increment(ref _batches);
            MarkWritten(pending);
            pending.Clear();
            await ReadQuotaSharesAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Kept for the next batch; checkpoints are taken afresh then, so only ended sessions are kept.
            Interlocked.Increment(ref _writeFailures);
            LogWriteFailed(_logger, ex, pending.Count);
            pending.RemoveAll(entry => !entry.IsFinal);
            _checkpointsPending.Clear();
        }
    }

    private async Task ReadQuotaSharesAsync(CancellationToken cancellationToken)
    {
        if (_clock.GetTimestamp() < _nextQuotaShares)
        {
            return;
        }

        var (identity, door) = await _store.LargestQuotaSharesAsync(_clock.GetUtcNow(), cancellationToken);
        Volatile.Write(ref _largestIdentityQuotaShare, identity);
        Volatile.Write(ref _largestDoorQuotaShare, door);
        _nextQuotaShares = _clock.GetTimestamp() + (long)(QuotaSharesInterval.TotalSeconds * _clock.TimestampFrequency);
    }

    private void MarkWritten(List<UsageEntry> pending)
    {
        foreach (var (session, bytes) in _checkpointsPending)
        {
            session.BytesCheckpointed = bytes;
            _onDisk[session.Id] = bytes;
        }

        _checkpointsPending.Clear();
        foreach (var entry in pending)
        {
            if (entry.IsFinal)
            {
                _endedNotOnDisk.TryRemove(entry.SessionId, out _);
                _onDisk.TryRemove(entry.SessionId, out _);
            }
        }
    }

    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        try
        {
            var pruned = await _store.PruneAsync(_clock.GetUtcNow() - TimeSpan.FromDays(_options.RetentionDays), cancellationToken);
            if (pruned > 0)
            {
                LogPruned(_logger, pruned, _options.RetentionDays);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Interlocked.Increment(ref _writeFailures);
            LogWriteFailed(_logger, ex, 0);
        }
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Error, Message = "Usage could not be written to the state database ({Entries} entries kept for the next try)")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int entries);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "Usage: {Sessions} sessions were still running when Splicer last stopped without a drain; kept as interrupted, counted to their last checkpoint")]
    private static partial void LogInterrupted(ILogger logger, int sessions);

    [LoggerMessage(EventId = 112, Level = LogLevel.Information, Message = "Usage: {Rows} session rows older than {Days} days pruned (totals kept)")]
    private static partial void LogPruned(ILogger logger, int rows, int days);
}

/// <summary>An ended session whose final row is not written yet: its sides, and the bytes the row will add to the totals.</summary>
internal sealed record EndedNotOnDisk(UsageSide A, UsageSide B, long Bytes)
{
    public bool Serves(QuotaSubject subject) => Serves(A, subject) || Serves(B, subject);

    private static bool Serves(UsageSide side, QuotaSubject subject) =>
        subject.Kind == QuotaSubjectKind.Identity ? side.IdentityId == subject.Id : side.DoorId == subject.Id;
}
