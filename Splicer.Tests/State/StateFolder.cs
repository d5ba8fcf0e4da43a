using Splicer.State;

namespace Splicer.Tests.State;

/// <summary>A real state directory in a temporary folder, removed after the test.</summary>
internal sealed class StateFolder : IDisposable
{
    public StateFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "splicer-state-" + Guid.NewGuid().ToString("N"));
        Directory = new StateDirectory(Path);
    }

    public string Path { get; }

    public StateDirectory Directory { get; }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Path))
        {
            System.IO.Directory.Delete(Path, recursive: true);
        }
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public ManualClock()
        : this(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero))
    {
    }

    public DateTimeOffset Now { get; private set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}

/// <summary>The database and its stores over one state folder, as the host would make them.</summary>
internal sealed class StateFixture : IAsyncDisposable
{
    public StateFixture(StateFolder folder, ManualClock clock)
    {
        Clock = clock;
        Database = new StateDatabase(folder.Directory);
        Identities = new IdentityStore(Database, clock);
        Doors = new DoorStore(Database, clock);
        Invites = new InviteStore(Database, clock);
        Audit = new AuditLog(Database, clock);
        Directory = new SqliteAccessDirectory(Identities, Doors, Audit);
    }

    public ManualClock Clock { get; }

    public StateDatabase Database { get; }

    public IdentityStore Identities { get; }

    public DoorStore Doors { get; }

    public InviteStore Invites { get; }

    public AuditLog Audit { get; }

    public SqliteAccessDirectory Directory { get; }

    public static async Task<StateFixture> OpenAsync(StateFolder folder, ManualClock? clock = null)
    {
        var fixture = new StateFixture(folder, clock ?? new ManualClock());
        await fixture.Database.OpenAsync(CancellationToken.None);
        return fixture;
    }

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
