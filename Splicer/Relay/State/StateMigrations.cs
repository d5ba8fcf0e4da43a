namespace Splicer.State;

/// <summary>
/// The schema, as numbered steps. Each runs once, in order, in its own transaction that also sets
/// <c>PRAGMA user_version</c> to its number, so a database is always at exactly one version.
/// Released steps are never edited: a change is a new step at the end.
/// </summary>
internal static class StateMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "identities, devices, doors, door members, invites, audit log", """
            CREATE TABLE identities (
                id            INTEGER PRIMARY KEY AUTOINCREMENT,
                name          TEXT    NOT NULL,
                created_at    INTEGER NOT NULL,
                disabled_at   INTEGER,
                last_used_at  INTEGER
            );

            CREATE TABLE devices (
                id            INTEGER PRIMARY KEY AUTOINCREMENT,
                identity_id   INTEGER NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
                name          TEXT    NOT NULL,
                public_key    BLOB    NOT NULL UNIQUE CHECK (length(public_key) = 32),
                added_at      INTEGER NOT NULL,
                last_used_at  INTEGER
            );
            CREATE INDEX devices_by_identity ON devices (identity_id);

            CREATE TABLE doors (
                id              INTEGER PRIMARY KEY AUTOINCREMENT,
                kind            TEXT    NOT NULL CHECK (kind IN ('invite', 'address')),
                name            TEXT    NOT NULL,
                address_prefix  TEXT,
                opened_at       INTEGER NOT NULL,
                expires_at      INTEGER NOT NULL,
                closed_at       INTEGER,
                close_reason    TEXT,
                max_sessions    INTEGER CHECK (max_sessions >= 0),
                max_bytes       INTEGER CHECK (max_bytes >= 0),
                sessions_used   INTEGER NOT NULL DEFAULT 0,
                bytes_used      INTEGER NOT NULL DEFAULT 0,
                CHECK ((kind = 'address') = (address_prefix IS NOT NULL))
            );
            CREATE INDEX doors_open ON doors (kind, expires_at) WHERE closed_at IS NULL;

            CREATE TABLE door_members (
                door_id      INTEGER NOT NULL REFERENCES doors (id) ON DELETE CASCADE,
                identity_id  INTEGER NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
                PRIMARY KEY (door_id, identity_id)
            ) WITHOUT ROWID;
            CREATE INDEX door_members_by_identity ON door_members (identity_id);

            CREATE TABLE invites (
                id            INTEGER PRIMARY KEY AUTOINCREMENT,
                door_id       INTEGER NOT NULL REFERENCES doors (id) ON DELETE CASCADE,
                secret_hash   BLOB    NOT NULL UNIQUE CHECK (length(secret_hash) = 32),
                uses_allowed  INTEGER NOT NULL CHECK (uses_allowed >= 1),
                uses_made     INTEGER NOT NULL DEFAULT 0,
                created_at    INTEGER NOT NULL,
                expires_at    INTEGER NOT NULL
            );

            CREATE TABLE audit_log (
                id      INTEGER PRIMARY KEY AUTOINCREMENT,
                at      INTEGER NOT NULL,
                actor   TEXT    NOT NULL,
                action  TEXT    NOT NULL,
                detail  TEXT    NOT NULL
            );
            """),
        new(2, "usage: one row per ended session, running sessions' checkpoints, totals per day and month", """
            CREATE TABLE usage_sessions (
                id            INTEGER PRIMARY KEY AUTOINCREMENT,
                started_at    INTEGER NOT NULL,
                duration_ms   INTEGER NOT NULL CHECK (duration_ms >= 0),
                bytes_a_to_b  INTEGER NOT NULL CHECK (bytes_a_to_b >= 0),
                bytes_b_to_a  INTEGER NOT NULL CHECK (bytes_b_to_a >= 0),
                outcome       TEXT    NOT NULL,
                token_prefix  TEXT,
                door_a        INTEGER,
                identity_a    INTEGER,
                source_a      TEXT,
                door_b        INTEGER,
                identity_b    INTEGER,
                source_b      TEXT
            );
            CREATE INDEX usage_sessions_by_start ON usage_sessions (started_at);

            CREATE TABLE usage_running (
                run              TEXT    NOT NULL,
                session_id       INTEGER NOT NULL,
                started_at       INTEGER NOT NULL,
                checkpointed_at  INTEGER NOT NULL,
                bytes_a_to_b     INTEGER NOT NULL,
                bytes_b_to_a     INTEGER NOT NULL,
                token_prefix     TEXT,
                door_a           INTEGER,
                identity_a       INTEGER,
                source_a         TEXT,
                door_b           INTEGER,
                identity_b       INTEGER,
                source_b         TEXT,
                PRIMARY KEY (run, session_id)
            ) WITHOUT ROWID;

            CREATE TABLE usage_totals (
                kind          TEXT    NOT NULL CHECK (kind IN ('box', 'identity', 'door')),
                subject       INTEGER NOT NULL,
                period        TEXT    NOT NULL CHECK (period IN ('day', 'month')),
                period_start  INTEGER NOT NULL,
                sessions      INTEGER NOT NULL DEFAULT 0,
                bytes         INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (kind, subject, period, period_start)
            ) WITHOUT ROWID;
            """),
        new(3, "quotas per identity and per door: bytes a day and a month, sessions at once, bytes a second", $"""
            {QuotaColumns("identities")}
            {QuotaColumns("doors")}
            """),
    ];

    private static string QuotaColumns(string table) => $"""
        ALTER TABLE {table} ADD COLUMN quota_bytes_per_day    INTEGER CHECK (quota_bytes_per_day >= 0);
        ALTER TABLE {table} ADD COLUMN quota_bytes_per_month  INTEGER CHECK (quota_bytes_per_month >= 0);
        ALTER TABLE {table} ADD COLUMN quota_sessions         INTEGER CHECK (quota_sessions >= 0);
        ALTER TABLE {table} ADD COLUMN quota_bytes_per_second INTEGER CHECK (quota_bytes_per_second > 0);
        """;

    public static int Latest => All[^1].Version;
}

/// <param name="Version">The <c>user_version</c> the database has once this step ran.</param>
/// <param name="Description">What the step does, for the log.</param>
/// <param name="Sql">The statements, run in one transaction.</param>
internal sealed record Migration(int Version, string Description, string Sql);
