using System.Diagnostics;
using Splicer.Endings;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Access;

/// <summary>
/// Live sessions end when whom they serve may no longer come through: within a second of the change
/// (asserted against a generous bound for a busy machine), both sides reset, the record says why.
/// </summary>
public sealed class SessionCutTests : IAsyncLifetime
{
    /// <summary>docs/protocols.md ("Answers") and docs/operating.md promise a second; a loaded two-core machine gets room, and a regression to "never" still fails.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    private static readonly CancellationToken None = CancellationToken.None;
    private DoorsRelay _relay = null!;

    public async Task InitializeAsync() => _relay = await DoorsRelay.StartAsync();

    public Task DisposeAsync() => _relay.DisposeAsync().AsTask();

    [Fact]
    public async Task Closing_the_door_cuts_its_live_sessions_within_a_second()
    {
        var door = await _relay.OpenInviteDoorAsync();
        using var pair = await _relay.PairAsync(await _relay.EnrollAsync(door, "alice"), await _relay.EnrollAsync(door, "bob"));

        var elapsed = await TimeCutAsync(pair, () => _relay.Doors.CloseAsync(door.Id, "done", "owner", None));

        await AssertCutAsync(Refusal.DoorClosed, elapsed);
    }

    [Fact]
    public async Task Disabling_the_identity_cuts_its_live_sessions_within_a_second()
    {
        var door = await _relay.OpenInviteDoorAsync();
        var alice = await _relay.EnrollAsync(door, "alice");
        using var pair = await _relay.PairAsync(alice, await _relay.EnrollAsync(door, "bob"));

        var elapsed = await TimeCutAsync(pair, () => _relay.Identities.DisableAsync(alice.IdentityId, "owner", None));

        await AssertCutAsync(Refusal.IdentityDisabled, elapsed);
    }

    [Fact]
    public async Task Deleting_the_identity_cuts_its_live_sessions_within_a_second()
    {
        var door = await _relay.OpenInviteDoorAsync();
        var bob = await _relay.EnrollAsync(door, "bob");
        using var pair = await _relay.PairAsync(await _relay.EnrollAsync(door, "alice"), bob);

        var elapsed = await TimeCutAsync(pair, () => _relay.Identities.DeleteAsync(bob.IdentityId, "owner", None));

        var record = await AssertCutAsync(Refusal.UnknownIdentity, elapsed);
        Assert.Contains($"identity {bob.IdentityId} was deleted", record.Detail);
    }

    [Fact]
    public async Task A_door_that_expires_mid_session_cuts_it_with_door_expired()
    {
        var door = await _relay.OpenInviteDoorAsync(duration: TimeSpan.FromSeconds(3));
        using var pair = await _relay.PairAsync(await _relay.EnrollAsync(door, "alice"), await _relay.EnrollAsync(door, "bob"));
        await pair.A.SendAsync("still here");
        await pair.B.ReadExactlyAsync(10);

        await Task.WhenAll(AssertResetAsync(pair.A), AssertResetAsync(pair.B)).WithPatience();
        var cutAfterExpiry = DateTimeOffset.UtcNow - door.ExpiresAt;

        await AssertCutAsync(Refusal.DoorExpired, cutAfterExpiry);
    }

    [Fact]
    public async Task A_door_whose_bytes_run_out_mid_session_cuts_it_with_door_exhausted()
    {
        var door = await _relay.OpenInviteDoorAsync(maxBytes: 1000);
        using var pair = await _relay.PairAsync(await _relay.EnrollAsync(door, "alice"), await _relay.EnrollAsync(door, "bob"));

        await pair.A.SendAsync(new byte[1500]);

        await Task.WhenAll(AssertResetAsync(pair.A), AssertResetAsync(pair.B)).WithPatience();
        var record = await _relay.Records.WaitForSessionAsync(Outcome.Killed);
        Assert.Same(Refusal.DoorExhausted, record.Ending.Refusal);
    }

    [Fact]
    public async Task Closing_an_address_door_cuts_the_wormhole_sessions_that_came_through_it()
    {
        var door = await _relay.OpenAddressDoorAsync("127.0.0.0/8");
        using var pair = await TestClient.PairAsync(_relay.Host);

        var elapsed = await TimeCutAsync(pair, () => _relay.Doors.CloseAsync(door.Id, "done", "owner", None));

        var record = await AssertCutAsync(Refusal.DoorClosed, elapsed);
        Assert.Equal((door.Id, (long?)null, door.Id, (long?)null), (record.DoorA, record.IdentityA, record.DoorB, record.IdentityB));
    }

    /// <summary>Makes the change, then measures until both clients see their connection reset.</summary>
    private static async Task<TimeSpan> TimeCutAsync(ClientPair pair, Func<Task> change)
    {
        await change();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(AssertResetAsync(pair.A), AssertResetAsync(pair.B)).WithPatience();
        return watch.Elapsed;
    }

    private static async Task AssertResetAsync(TestClient client) => Assert.Equal(Closure.Reset, await client.WaitClosedAsync());

    private async Task<SessionRecord> AssertCutAsync(Refusal reason, TimeSpan elapsed)
    {
        Assert.True(elapsed < Bound, $"cut after {elapsed.TotalMilliseconds:F0} ms; docs/protocols.md promises a second");
        var record = await _relay.Records.WaitForSessionAsync(Outcome.Killed);
        Assert.Same(reason, record.Ending.Refusal);
        return record;
    }
}
