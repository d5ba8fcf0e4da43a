using Microsoft.Data.Sqlite;

namespace Splicer.State;

/// <summary>One side of a session as usage keeps it: the door and identity it came by, or its address when anonymous.</summary>
public sealed record UsageSide(long? DoorId, long? IdentityId, string? Source)
{
    /// <summary>The device the identity came with, to mark it used; not kept in the usage rows.</summary>
    public long? DeviceId { get; init; }

    public static UsageSide Anonymous(string? source) => new(null, null, source);
}

/// <summary>
/// What the usage writer hands the store: a running session's counts so far (a checkpoint, no
/// outcome) or an ended session's final counts (with its outcome).
/// </summary>
/// <param name="Run">The process run the session belongs to; session ids restart with every run.</param>
/// <param name="At">When the counts were read: the deltas since the last checkpoint count for this day and month.</param>
public sealed record UsageEntry(
    string Run,
    long SessionId,
    DateTimeOffset StartedAt,
    DateTimeOffset At,
    long BytesAToB,
    long BytesBToA,
    string? TokenPrefix,
    UsageSide A,
    UsageSide B,
    string? Outcome)
{
    public bool IsFinal => Outcome is not null;
}

/// <summary>One ended session, as the usage table keeps it.</summary>
public sealed record UsageSession(
    long Id,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    long BytesAToB,
    long BytesBToA,
    string Outcome,
    string? TokenPrefix,
    UsageSide A,
    UsageSide B);

/// <summary>Who a running total is for: the whole box, an identity or a door.</summary>
public enum UsageSubjectKind
{
    Box,
    Identity,
    Door,
}

public enum UsagePeriod
{
    Day,
    Month,
}

/// <summary>A running total: sessions and bytes (both directions) of one subject in one day or month (UTC).</summary>
public sealed record UsageTotal(UsageSubjectKind Kind, long Subject, UsagePeriod Period, DateTimeOffset PeriodStart, long Sessions, long Bytes);

/// <summary>How usage rows are blurred before they are kept, for owners who keep less (as the reference relay's <c>--blur-usage</c>).</summary>
/// <param name="Time">Start times are rounded down to a multiple of this, durations up to one.</param>
public sealed record UsageBlur(TimeSpan Time)
{
    /// <summary>
    /// Byte counts rounded up: to 10 kB under 1 MB, to 1 MB under 1 GB, else to 100 MB (the
    /// reference relay's steps); zero stays zero.
    /// </summary>
    public static long Bytes(long count) => count switch
    {
        0 => 0,
        < 1_000_000 => RoundUp(count, 10_000),
        < 1_000_000_000 => RoundUp(count, 1_000_000),
        _ => RoundUp(count, 100_000_000),
    };

    public DateTimeOffset Start(DateTimeOffset start) =>
        new(start.UtcTicks - start.UtcTicks % Time.Ticks, TimeSpan.Zero);

    public TimeSpan Duration(TimeSpan duration) =>
        TimeSpan.FromTicks(RoundUp(Math.Max(duration.Ticks, 1), Time.Ticks));

    private static long RoundUp(long value, long step) => (value + step - 1) / step * step;
}

/// <summary>
/// The usage tables: one row per ended session, a checkpoint row per running session, and running
/// totals per day and per month for the box, each identity and each door. A batch of entries is one
/// transaction; each entry adds to the totals only what it adds to its session's last checkpoint, so
/// a crash between checkpoints loses at most the bytes since the last one and never counts twice.
/// </summary>
public sealed class UsageStore(StateDatabase database)
{
    /// <summary>The outcome kept for a session the relay was killed under (its last checkpoint becomes its row).</summary>
    public const string Interrupted = "interrupted";

    // The sessions of this process that have a checkpoint row: only those need it looked up when they
    // end (most sessions end before their first checkpoint). A session is forgotten only once its final
    // row has been committed, so a batch that fails and is written again still finds its checkpoint.
    private readonly HashSet<(string Run, long SessionId)> _checkpointed = [];
    private readonly Lock _checkpointedLock = new();

    /// <summary>Writes a batch in one transaction. With <paramref name="blur"/>, ended rows are blurred (totals stay exact: quotas count them).</summary>
    public async Task WriteAsync(IReadOnlyList<UsageEntry> entries, UsageBlur? blur, CancellationToken cancellationToken)
    {
        var ended = new List<(string Run, long SessionId)>();
        await database.WriteAsync(async (transaction, token) =>
        {
            ended.Clear();

            // Totals are summed over the batch first: one upsert per subject and period, not per entry.
            var totals = new Dictionary<(UsageSubjectKind Kind, long Subject, UsagePeriod Period, long Start), (long Sessions, long Bytes)>();
            using var insert = new EndedRowInsert(transaction);
            foreach (var entry in entries)
            {
                await WriteAsync(transaction, insert, entry, blur, totals, ended, token);
            }

            foreach (var ((kind, subject, period, start), (sessions, bytes)) in totals)
            {
                await transaction.Command(
                        """
                        INSERT INTO usage_totals (kind, subject, period, period_start, sessions, bytes) VALUES ($kind, $subject, $period, $start, $sessions, $bytes)
                        ON CONFLICT (kind, subject, period, period_start) DO UPDATE SET sessions = sessions + excluded.sessions, bytes = bytes + excluded.bytes
                        """,
                        ("$kind", Name(kind)), ("$subject", subject), ("$period", Name(period)), ("$start", start), ("$sessions", sessions), ("$bytes", bytes))
                    .ExecuteAsync(token);
            }

            await MarkUsedAsync(transaction, entries, blur, token);
            return entries.Count;
        }, cancellationToken);

        lock (_checkpointedLock)
        {
            _checkpointed.ExceptWith(ended);
        }
    }

    /// <summary>
    /// Sets each identity's and device's last use to the latest entry of the batch that served it, in the
    /// batch's transaction: the identity list and the usage tables are written together and cannot disagree.
    /// </summary>
    private static async Task MarkUsedAsync(SqliteTransaction transaction, IReadOnlyList<UsageEntry> entries, UsageBlur? blur, CancellationToken token)
    {
        var sides = entries.SelectMany(entry => new[] { (Side: entry.A, entry.At), (Side: entry.B, entry.At) }).ToList();
        foreach (var (identity, at) in Latest(sides.Select(use => (use.Side.IdentityId, use.At)), blur))
        {
            await transaction.Command(
                    "UPDATE identities SET last_used_at = max(coalesce(last_used_at, 0), $at) WHERE id = $id", ("$id", identity), ("$at", at.ToStored()))
                .ExecuteAsync(token);
        }

        foreach (var (device, at) in Latest(sides.Select(use => (use.Side.DeviceId, use.At)), blur))
        {
            await transaction.Command(
                    "UPDATE devices SET last_used_at = max(coalesce(last_used_at, 0), $at) WHERE id = $id", ("$id", device), ("$at", at.ToStored()))
                .ExecuteAsync(token);
        }
    }

    /// <summary>The latest use of each id (blurred as the rows are), skipping uses without one.</summary>
    private static IEnumerable<(long Id, DateTimeOffset At)> Latest(IEnumerable<(long? Id, DateTimeOffset At)> uses, UsageBlur? blur) =>
        uses.Where(use => use.Id is not null)
            .GroupBy(use => use.Id!.Value, use => use.At)
            .Select(group => (group.Key, blur?.Start(group.Max()) ?? group.Max()));

    /// <summary>
    /// Every session and byte a door or identity has let through (the sum of its months): what the door
    /// and identity lists show, from the same totals as <c>/api/usage</c>.
    /// </summary>
    /// <param name="subject">One door or identity; null for all of that kind.</param>
    public Task<Dictionary<long, (long Sessions, long Bytes)>> LifetimeAsync(UsageSubjectKind kind, long? subject, CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, token) => (await connection.Command(
                    """
                    SELECT subject, sum(sessions), sum(bytes) FROM usage_totals
                    WHERE kind = $kind AND period = 'month' AND ($subject IS NULL OR subject = $subject)
                    GROUP BY subject
                    """,
                    ("$kind", Name(kind)), ("$subject", subject))
                .ListAsync(row => (Subject: row.GetInt64(0), Sessions: row.GetInt64(1), Bytes: row.GetInt64(2)), token))
            .ToDictionary(row => row.Subject, row => (row.Sessions, row.Bytes)), cancellationToken);

    /// <summary>
    /// Turns the checkpoints of earlier runs (sessions a killed process left behind) into ended rows
    /// with the outcome <see cref="Interrupted"/>; their bytes are already in the totals. Returns how many.
    /// </summary>
    public Task<int> FinishInterruptedAsync(string currentRun, UsageBlur? blur, CancellationToken cancellationToken) =>
        database.WriteAsync(async (transaction, token) =>
        {
            var left = await transaction.Command(
                    $"SELECT {RunningColumns} FROM usage_running WHERE run <> $run", ("$run", currentRun))
                .ListAsync(ReadRunning, token);
            using var insert = new EndedRowInsert(transaction);
            foreach (var entry in left)
            {
                insert.Run(entry with { Outcome = Interrupted }, blur);
            }

            await transaction.Command("DELETE FROM usage_running WHERE run <> $run", ("$run", currentRun)).ExecuteAsync(token);
            return left.Count;
        }, cancellationToken);

    /// <summary>Deletes ended rows that started before <paramref name="before"/>; the totals are kept. Returns how many.</summary>
    public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        database.WriteAsync((transaction, token) => transaction.Command(
                "DELETE FROM usage_sessions WHERE started_at < $before", ("$before", before.ToStored()))
            .ExecuteAsync(token), cancellationToken);

    /// <summary>Ended sessions that started in [from, to), oldest first, at most <paramref name="limit"/>.</summary>
    public Task<List<UsageSession>> SessionsAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync((connection, token) => connection.Command(
                """
                SELECT id, started_at, duration_ms, bytes_a_to_b, bytes_b_to_a, outcome, token_prefix,
                       door_a, identity_a, source_a, door_b, identity_b, source_b
                FROM usage_sessions WHERE started_at >= $from AND started_at < $to ORDER BY started_at, id LIMIT $limit
                """,
                ("$from", from.ToStored()), ("$to", to.ToStored()), ("$limit", limit))
            .ListAsync(row => new UsageSession(
                row.GetInt64(0),
                row.TimeAt(1),
                TimeSpan.FromMilliseconds(row.GetInt64(2)),
                row.GetInt64(3),
                row.GetInt64(4),
                row.GetString(5),
                row.OptionalStringAt(6),
                new UsageSide(row.OptionalInt64At(7), row.OptionalInt64At(8), row.OptionalStringAt(9)),
                new UsageSide(row.OptionalInt64At(10), row.OptionalInt64At(11), row.OptionalStringAt(12))), token), cancellationToken);

    /// <summary>Running totals of one period kind whose period starts in [from, to), for every subject.</summary>
    public Task<List<UsageTotal>> TotalsAsync(UsagePeriod period, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        database.ReadAsync((connection, token) => connection.Command(
                """
                SELECT kind, subject, period, period_start, sessions, bytes FROM usage_totals
                WHERE period = $period AND period_start >= $from AND period_start < $to
                ORDER BY period_start, kind, subject
                """,
                ("$period", Name(period)), ("$from", from.ToStored()), ("$to", to.ToStored()))
            .ListAsync(ReadTotal, token), cancellationToken);

    /// <summary>
    /// Running totals of one kind of subject (every identity, or the box) and one period kind whose period
    /// starts in [from, to), in one query: what the usage page lists and charts.
    /// </summary>
    public Task<List<UsageTotal>> TotalsAsync(UsageSubjectKind kind, UsagePeriod period, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        database.ReadAsync((connection, token) => connection.Command(
                """
                SELECT kind, subject, period, period_start, sessions, bytes FROM usage_totals
                WHERE kind = $kind AND period = $period AND period_start >= $from AND period_start < $to
                ORDER BY period_start, subject
                """,
                ("$kind", Name(kind)), ("$period", Name(period)), ("$from", from.ToStored()), ("$to", to.ToStored()))
            .ListAsync(ReadTotal, token), cancellationToken);

    /// <summary>Bytes (both directions) of one subject in the day or month that contains <paramref name="at"/>; what a quota compares.</summary>
    public Task<long> BytesInAsync(UsageSubjectKind kind, long subject, UsagePeriod period, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.ReadAsync((connection, token) => connection.Command(
                "SELECT coalesce(sum(bytes), 0) FROM usage_totals WHERE kind = $kind AND subject = $subject AND period = $period AND period_start = $start",
                ("$kind", Name(kind)), ("$subject", subject), ("$period", Name(period)), ("$start", PeriodStart(period, at).ToStored()))
            .ScalarAsync(token), cancellationToken);

    /// <summary>Bytes of one subject in the day and in the month that contain <paramref name="at"/>, in one query: what a quota compares.</summary>
    public Task<(long Day, long Month)> DayAndMonthAsync(UsageSubjectKind kind, long subject, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, token) =>
        {
            var rows = await connection.Command(
                    """
                    SELECT period, bytes FROM usage_totals WHERE kind = $kind AND subject = $subject
                      AND ((period = 'day' AND period_start = $day) OR (period = 'month' AND period_start = $month))
                    """,
                    ("$kind", Name(kind)), ("$subject", subject),
                    ("$day", PeriodStart(UsagePeriod.Day, at).ToStored()), ("$month", PeriodStart(UsagePeriod.Month, at).ToStored()))
                .ListAsync(row => (IsDay: row.GetString(0) == "day", Bytes: row.GetInt64(1)), token);
            return (rows.Where(row => row.IsDay).Sum(row => row.Bytes), rows.Where(row => !row.IsDay).Sum(row => row.Bytes));
        }, cancellationToken);

    /// <summary>An identity's bytes today (UTC): the first step of a daily quota.</summary>
    public Task<long> BytesTodayAsync(long identityId, DateTimeOffset now, CancellationToken cancellationToken) =>
        BytesInAsync(UsageSubjectKind.Identity, identityId, UsagePeriod.Day, now, cancellationToken);

    /// <summary>An identity's bytes this month (UTC).</summary>
    public Task<long> BytesThisMonthAsync(long identityId, DateTimeOffset now, CancellationToken cancellationToken) =>
        BytesInAsync(UsageSubjectKind.Identity, identityId, UsagePeriod.Month, now, cancellationToken);

    /// <summary>
    /// The largest share of a byte quota any identity, and any open door, has used (1 = spent); 0 where none
    /// has one. Quotas count today's and this month's bytes (UTC); a door's lifetime allowance
    /// (<c>max_bytes</c>) counts every month it has been open. For the "quota nearly spent" alert.
    /// </summary>
    public Task<(double Identity, double Door)> LargestQuotaSharesAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, token) =>
        {
            await using var command = connection.Command(
                """
                SELECT
                  (SELECT coalesce(max(max(coalesce(CAST(day.bytes AS REAL) / i.quota_bytes_per_day, 0),
                                           coalesce(CAST(month.bytes AS REAL) / i.quota_bytes_per_month, 0))), 0)
                   FROM identities AS i
                   LEFT JOIN usage_totals AS day ON day.kind = 'identity' AND day.subject = i.id AND day.period = 'day' AND day.period_start = $day
                   LEFT JOIN usage_totals AS month ON month.kind = 'identity' AND month.subject = i.id AND month.period = 'month' AND month.period_start = $month
                   WHERE i.quota_bytes_per_day > 0 OR i.quota_bytes_per_month > 0),
                  (SELECT coalesce(max(max(coalesce(CAST(day.bytes AS REAL) / d.quota_bytes_per_day, 0),
                                           coalesce(CAST(month.bytes AS REAL) / d.quota_bytes_per_month, 0),
                                           coalesce(CAST(ever.bytes AS REAL) / d.max_bytes, 0))), 0)
                   FROM doors AS d
                   LEFT JOIN usage_totals AS day ON day.kind = 'door' AND day.subject = d.id AND day.period = 'day' AND day.period_start = $day
                   LEFT JOIN usage_totals AS month ON month.kind = 'door' AND month.subject = d.id AND month.period = 'month' AND month.period_start = $month
                   LEFT JOIN (SELECT subject, sum(bytes) AS bytes FROM usage_totals WHERE kind = 'door' AND period = 'month' GROUP BY subject) AS ever
                     ON ever.subject = d.id
                   WHERE d.closed_at IS NULL AND (d.quota_bytes_per_day > 0 OR d.quota_bytes_per_month > 0 OR d.max_bytes > 0))
                """,
                ("$day", PeriodStart(UsagePeriod.Day, now).ToStored()), ("$month", PeriodStart(UsagePeriod.Month, now).ToStored()));
            await using var reader = await command.ExecuteReaderAsync(token);
            await reader.ReadAsync(token);
            return (reader.GetDouble(0), reader.GetDouble(1));
        }, cancellationToken);

    public static DateTimeOffset PeriodStart(UsagePeriod period, DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return period == UsagePeriod.Day
            ? new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero)
            : new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }

    private static readonly UsagePeriod[] Periods = [UsagePeriod.Day, UsagePeriod.Month];

    private const string RunningColumns =
        "run, session_id, started_at, checkpointed_at, bytes_a_to_b, bytes_b_to_a, token_prefix, door_a, identity_a, source_a, door_b, identity_b, source_b";

    private async Task WriteAsync(
        SqliteTransaction transaction,
        EndedRowInsert insert,
        UsageEntry entry,
        UsageBlur? blur,
        Dictionary<(UsageSubjectKind Kind, long Subject, UsagePeriod Period, long Start), (long Sessions, long Bytes)> totals,
        List<(string Run, long SessionId)> ended,
        CancellationToken token)
    {
        var key = (entry.Run, entry.SessionId);
        bool mayHaveCheckpoint;
        lock (_checkpointedLock)
        {
            mayHaveCheckpoint = _checkpointed.Contains(key);
        }

        var previous = mayHaveCheckpoint
            ? await transaction.Command(
                    "SELECT bytes_a_to_b, bytes_b_to_a FROM usage_running WHERE run = $run AND session_id = $id", ("$run", entry.Run), ("$id", entry.SessionId))
                .ListAsync(row => (AToB: row.GetInt64(0), BToA: row.GetInt64(1)), token)
            : [];
        var checkpointed = previous.Count == 1;
        var (beforeAToB, beforeBToA) = checkpointed ? previous[0] : (0, 0);
        var added = Math.Max(0, entry.BytesAToB - beforeAToB) + Math.Max(0, entry.BytesBToA - beforeBToA);
        var newSession = checkpointed ? 0 : 1;
        if (added > 0 || newSession > 0)
        {
            foreach (var (kind, subject) in Subjects(entry))
            {
                foreach (var period in Periods)
                {
                    var total = (kind, subject, period, PeriodStart(period, entry.At).ToStored());
                    var (sessions, bytes) = totals.GetValueOrDefault(total);
                    totals[total] = (sessions + newSession, bytes + added);
                }
            }
        }

        if (entry.IsFinal)
        {
            insert.Run(entry, blur);
            if (checkpointed)
            {
                await transaction.Command("DELETE FROM usage_running WHERE run = $run AND session_id = $id", ("$run", entry.Run), ("$id", entry.SessionId))
                    .ExecuteAsync(token);
            }

            ended.Add(key);
            return;
        }

        lock (_checkpointedLock)
        {
            _checkpointed.Add(key);
        }

        await transaction.Command(
                $"""
                INSERT OR REPLACE INTO usage_running ({RunningColumns})
                VALUES ($run, $id, $started, $at, $aToB, $bToA, $token, $doorA, $identityA, $sourceA, $doorB, $identityB, $sourceB)
                """,
                ("$run", entry.Run), ("$id", entry.SessionId), ("$started", entry.StartedAt.ToStored()), ("$at", entry.At.ToStored()),
                ("$aToB", entry.BytesAToB), ("$bToA", entry.BytesBToA), ("$token", entry.TokenPrefix),
                ("$doorA", entry.A.DoorId), ("$identityA", entry.A.IdentityId), ("$sourceA", entry.A.Source),
                ("$doorB", entry.B.DoorId), ("$identityB", entry.B.IdentityId), ("$sourceB", entry.B.Source))
            .ExecuteAsync(token);
    }

    /// <summary>The box, and each distinct identity and door of the two sides: a person on both ends counts once.</summary>
    private static IEnumerable<(UsageSubjectKind Kind, long Subject)> Subjects(UsageEntry entry)
    {
        yield return (UsageSubjectKind.Box, 0);
        foreach (var identity in new[] { entry.A.IdentityId, entry.B.IdentityId }.OfType<long>().Distinct())
        {
            yield return (UsageSubjectKind.Identity, identity);
        }

        foreach (var door in new[] { entry.A.DoorId, entry.B.DoorId }.OfType<long>().Distinct())
        {
            yield return (UsageSubjectKind.Door, door);
        }
    }

    private static UsageEntry ReadRunning(SqliteDataReader row) => new(
        row.GetString(0),
        row.GetInt64(1),
        row.TimeAt(2),
        row.TimeAt(3),
        row.GetInt64(4),
        row.GetInt64(5),
        row.OptionalStringAt(6),
        new UsageSide(row.OptionalInt64At(7), row.OptionalInt64At(8), row.OptionalStringAt(9)),
        new UsageSide(row.OptionalInt64At(10), row.OptionalInt64At(11), row.OptionalStringAt(12)),
        null);

    private static UsageTotal ReadTotal(SqliteDataReader row) => new(
        Enum.Parse<UsageSubjectKind>(row.GetString(0), ignoreCase: true),
        row.GetInt64(1),
        Enum.Parse<UsagePeriod>(row.GetString(2), ignoreCase: true),
        row.TimeAt(3),
        row.GetInt64(4),
        row.GetInt64(5));

    private static string Name(UsageSubjectKind kind) => kind switch
    {
        UsageSubjectKind.Box => "box",
        UsageSubjectKind.Identity => "identity",
        _ => "door",
    };

    private static string Name(UsagePeriod period) => period == UsagePeriod.Day ? "day" : "month";
}
