using System.Net;
using System.Text.RegularExpressions;
using Splicer.Access;
using Splicer.Governance;
using Splicer.Governance.Entry;
using Splicer.State;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Host;

/// <summary>What the relay acknowledged is on disk: kill -9 (SIGKILL) and a restart lose none of it.</summary>
public sealed partial class StateSurvivalTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly string _stateDirectory = Path.Combine(Path.GetTempPath(), "splicer-survival-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Kill_9_then_restart_keeps_identities_doors_and_the_audit_log()
    {
        // The owner opens a door and an invite (as the admin would, in the same file), then the relay
        // enrolls a device through it: the relay's own acknowledged write.
        DoorRecord door;
        InviteCode invite;
        await using (var owner = await OwnerAsync())
        {
            door = await owner.Doors.OpenAsync(new DoorRequest(DoorKind.Invite, "survivor", TimeSpan.FromHours(1)), "owner", None);
            using var ring = BoxKeyRing.LoadOrCreate(_stateDirectory, TimeSpan.FromDays(30), TimeProvider.System);
            invite = InviteCode.Create(["127.0.0.1:0"], DoorsRelay.RelayName, ring.Current);
            await owner.Invites.CreateAsync(door.Id, invite.SecretHash, 2, DateTimeOffset.UtcNow.AddHours(1), "owner", None);
        }

        using var carol = DeviceKey.Create();
        string credential;
        long carolId;
        await using (var first = await StartSplicerAsync())
        {
            var (client, answer) = await SendAsync(first.Port, DoorsRelay.JoinLine(invite, carol, "carol"));
            client.Dispose();
            Assert.StartsWith("ok identity=", answer);
            credential = Regex.Match(answer, "credential=(\\S+)").Groups[1].Value;
            carolId = long.Parse(Regex.Match(answer, "identity=(\\d+)").Groups[1].Value);

            await first.Process.KillAsync();
        }

        await using var second = await StartSplicerAsync();
        using var dave = DeviceKey.Create();
        var (joined, daveAnswer) = await SendAsync(second.Port, DoorsRelay.JoinLine(invite, dave, "dave"));
        joined.Dispose();
        Assert.StartsWith("ok identity=", daveAnswer);

        var (relay, relayAnswer) = await SendAsync(second.Port, DoorsRelay.RelayLine(Pairing.NewToken(), Pairing.NewSide(), credential, carol));
        relay.Dispose();
        Assert.StartsWith("ok expires=", relayAnswer);

        await using var check = await OwnerAsync();
        Assert.Contains(await check.Identities.ListAsync(None), identity => identity.Id == carolId && identity.Name == "carol");
        Assert.NotNull(await check.Doors.FindAsync(door.Id, None));
        var actions = (await check.Audit.ListAsync(100, null, None)).Select(entry => entry.Action).ToList();
        Assert.Equal(2, actions.Count(action => action == "invite.redeem"));
        Assert.Contains("door.open", actions);
    }

    public void Dispose()
    {
        if (Directory.Exists(_stateDirectory))
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
    }

    private async Task<StateFixtureOwner> OwnerAsync()
    {
        var database = new StateDatabase(new StateDirectory(_stateDirectory).EnsureExists());
        await database.OpenAsync(None);
        return new StateFixtureOwner(database);
    }

    private async Task<RunningSplicer> StartSplicerAsync()
    {
        var process = SplicerProgram.Start(
        [
            "--Splicer:Port=0", "--Admin:Url=http://127.0.0.1:0", $"--Splicer:StateDirectory={_stateDirectory}",
            "--Splicer:Access:Mode=Doors", $"--Splicer:Access:RelayName={DoorsRelay.RelayName}",
        ]);
        var bound = await process.WaitForLineAsync(line => line.Contains("Splice listener bound to"));
        var port = int.Parse(BoundPort().Match(bound).Groups[1].Value);
        await ExternalProcess.WaitForPortAsync(port);
        return new RunningSplicer(process, port);
    }

    private static async Task<(TestClient Client, string Answer)> SendAsync(int port, string line)
    {
        var client = await TestClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        await client.SendAsync(line);
        return (client, await client.ReadLineAsync());
    }

    [GeneratedRegex(@"bound to \S*:(\d+) ")]
    private static partial Regex BoundPort();

    private sealed record RunningSplicer(ExternalProcess Process, int Port) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Process.DisposeAsync();
    }

    private sealed class StateFixtureOwner(StateDatabase database) : IAsyncDisposable
    {
        public DoorStore Doors { get; } = new(database, TimeProvider.System);

        public IdentityStore Identities { get; } = new(database, TimeProvider.System);

        public InviteStore Invites { get; } = new(database, TimeProvider.System);

        public AuditLog Audit { get; } = new(database, TimeProvider.System);

        public ValueTask DisposeAsync() => database.DisposeAsync();
    }
}
