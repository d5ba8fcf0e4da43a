using System.Diagnostics;
using System.Net;
using Splicer.Governance;
using Splicer.Governance.Entry;
using Splicer.State;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.State;

/// <summary>The access look-ups remembered between handshakes, and forgotten as soon as the owner changes something.</summary>
public sealed class CachedAccessDirectoryTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly StateFolder _folder = new();
    private StateFixture _state = null!;
    private CachedAccessDirectory _cached = null!;

    public async Task InitializeAsync()
    {
        _state = await StateFixture.OpenAsync(_folder);
        _cached = new CachedAccessDirectory(_state.Directory);
    }

    public async Task DisposeAsync()
    {
        await _state.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_closed_door_is_seen_closed_within_a_tenth_of_a_second_of_the_change()
    {
        var door = await _state.Doors.OpenAsync(new DoorRequest(DoorKind.Invite, "friends", TimeSpan.FromHours(1)), "owner", None);
        Assert.False((await _cached.FindDoorAsync(door.Id, None))!.IsClosed);

        await _state.Doors.CloseAsync(door.Id, "done", "owner", None);
        var closedAt = Stopwatch.GetTimestamp();

        await Patience.UntilAsync(async () => (await _cached.FindDoorAsync(door.Id, None))!.IsClosed, "the closed door to be seen");
        Assert.InRange(Stopwatch.GetElapsedTime(closedAt), TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_disabled_identity_is_seen_disabled_after_the_change()
    {
        var alice = await _state.Identities.AddAsync("alice", "owner", None);
        Assert.False((await _cached.FindIdentityAsync(alice.Id, None))!.IsDisabled);

        await _state.Identities.DisableAsync(alice.Id, "owner", None);

        await Patience.UntilAsync(async () => (await _cached.FindIdentityAsync(alice.Id, None))!.IsDisabled, "the identity to be seen disabled");
    }

    [Fact]
    public async Task A_door_that_counts_its_sessions_is_read_afresh_every_time()
    {
        var door = await _state.Doors.OpenAsync(new DoorRequest(DoorKind.Invite, "one", TimeSpan.FromHours(1), MaxSessions: 1), "owner", None);
        Assert.Equal(0, (await _cached.FindDoorAsync(door.Id, None))!.SessionsUsed);

        Assert.True(await _state.Doors.TryTakeSessionAsync(door.Id, None));

        Assert.Equal(1, (await _cached.FindDoorAsync(door.Id, None))!.SessionsUsed);
    }

    [Fact]
    public async Task An_address_door_opened_is_seen_and_one_expired_is_not()
    {
        var prefix = IPNetwork.Parse("198.51.100.0/24");
        Assert.Empty(await _cached.OpenAddressDoorsAsync(DateTimeOffset.UtcNow, None));

        var door = await _state.Doors.OpenAsync(new DoorRequest(DoorKind.Address, "office", TimeSpan.FromMinutes(30), prefix), "owner", None);

        await Patience.UntilAsync(async () => (await _cached.OpenAddressDoorsAsync(_state.Clock.GetUtcNow(), None)).Count == 1, "the new door");
        Assert.Empty(await _cached.OpenAddressDoorsAsync(door.ExpiresAt, None));
    }
}
