using Microsoft.Data.Sqlite;

namespace Splicer.State;

/// <summary>
/// The insert of ended sessions' rows, prepared once per batch and run for each row with new values:
/// SQLite compiles the statement once, not once a session.
/// </summary>
internal sealed class EndedRowInsert : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly SqliteParameter[] _values;

    public EndedRowInsert(SqliteTransaction transaction)
    {
        _command = transaction.Command(
            """
            INSERT INTO usage_sessions (started_at, duration_ms, bytes_a_to_b, bytes_b_to_a, outcome, token_prefix,
                                        door_a, identity_a, source_a, door_b, identity_b, source_b)
            VALUES ($started, $duration, $aToB, $bToA, $outcome, $token, $doorA, $identityA, $sourceA, $doorB, $identityB, $sourceB)
            """);
        string[] names = ["$started", "$duration", "$aToB", "$bToA", "$outcome", "$token", "$doorA", "$identityA", "$sourceA", "$doorB", "$identityB", "$sourceB"];
        _values = names.Select(name => _command.Parameters.AddWithValue(name, DBNull.Value)).ToArray();
    }

    /// <summary>Inserts the row of an ended session, blurred when <paramref name="blur"/> is set.</summary>
    public void Run(UsageEntry entry, UsageBlur? blur)
    {
        var started = entry.StartedAt;
        var duration = entry.At - entry.StartedAt;
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }

        var (aToB, bToA, tokenPrefix, a, b) = (entry.BytesAToB, entry.BytesBToA, entry.TokenPrefix, entry.A, entry.B);
        if (blur is not null)
        {
            (started, duration) = (blur.Start(started), blur.Duration(duration));
            (aToB, bToA, tokenPrefix) = (UsageBlur.Bytes(aToB), UsageBlur.Bytes(bToA), null);
            (a, b) = (a with { Source = null }, b with { Source = null });
        }

        Set(0, started.ToStored());
        Set(1, (long)duration.TotalMilliseconds);
        Set(2, aToB);
        Set(3, bToA);
        Set(4, entry.Outcome);
        Set(5, tokenPrefix);
        Set(6, a.DoorId);
        Set(7, a.IdentityId);
        Set(8, a.Source);
        Set(9, b.DoorId);
        Set(10, b.IdentityId);
        Set(11, b.Source);
        _command.ExecuteNonQuery();
    }

    public void Dispose() => _command.Dispose();

    private void Set(int index, object? value) => _values[index].Value = value ?? DBNull.Value;
}
