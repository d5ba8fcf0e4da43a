using System.Net;
using Splicer.Endings;
using Splicer.Governance;
using Splicer.Governance.Entry;
using Splicer.State;

namespace Splicer.Tests.State;

/// <summary>Identities, doors, invites and the audit log, one rule per test, on a real file.</summary>
public sealed class StoreTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly StateFolder _folder = new();
    private StateFixture _state = null!;

    public async Task InitializeAsync() => _state = await StateFixture.OpenAsync(_folder);

    public async Task DisposeAsync()
    {
        await _state.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task An_identity_may_have_several_devices()
    {
        var alice = await _state.Identities.AddAsync("alice", "owner", None);
        await _state.Identities.AddDeviceAsync(alice.Id, Key(1), "laptop", "owner", None);
        await _state.Identities.AddDeviceAsync(alice.Id, Key(2), "phone", "owner", None);

        Assert.Equal(["laptop", "phone"], (await _state.Identities.DevicesAsync(alice.Id, None)).Select(device => device.Name));
        Assert.Equal(alice.Id, (await _state.Identities.FindDeviceAsync(Key(2), None))?.IdentityId);
    }

    [Fact]
    public async Task Deleting_an_identity_removes_its_devices_and_memberships_and_its_id_is_never_reused()
    {
        var alice = await _state.Identities.AddAsync("alice", "owner", None);
        await _state.Identities.AddDeviceAsync(alice.Id, Key(1), "laptop", "owner", None);
        var door = await OpenInviteDoor(alice.Id);

        Assert.True(await _state.Identities.DeleteAsync(alice.Id, "owner", None));
        var bob = await _state.Identities.AddAsync("bob", "owner", None);

        Assert.Null(await _state.Identities.FindAsync(alice.Id, None));
        Assert.Null(await _state.Identities.FindDeviceAsync(Key(1), None));
        Assert.Empty(await _state.Doors.MembersAsync(door.Id, None));
        Assert.True(bob.Id > alice.Id);
    }

    [Fact]
    public async Task Disabling_and_enabling_are_recorded_once_each()
    {
        var alice = await _state.Identities.AddAsync("alice", "owner", None);

        Assert.True(await _state.Identities.DisableAsync(alice.Id, "owner", None));
        Assert.False(await _state.Identities.DisableAsync(alice.Id, "owner", None));
        Assert.True((await _state.Identities.FindAsync(alice.Id, None))!.IsDisabled);
        Assert.True(await _state.Identities.EnableAsync(alice.Id, "owner", None));

        Assert.Equal(["identity.enable", "identity.disable", "identity.add"], await Actions());
    }

    [Fact]
    public async Task A_door_keeps_its_kind_prefix_expiry_and_limits()
    {
        var prefix = IPNetwork.Parse("203.0.113.0/24");
        var door = await _state.Doors.OpenAsync(
            new DoorRequest(DoorKind.Address, "office", TimeSpan.FromMinutes(30), prefix, MaxSessions: 3, MaxBytes: 1_000_000), "owner", None);

        var stored = await _state.Doors.FindAsync(door.Id, None);
        Assert.Equal(DoorKind.Address, stored!.Kind);
        Assert.Equal(prefix, stored.AddressPrefix);
        Assert.Equal(_state.Clock.Now.AddMinutes(30), stored.ExpiresAt);
        Assert.Equal((3L, 1_000_000L), (stored.MaxSessions!.Value, stored.MaxBytes!.Value));
        Assert.True(stored.IsOpenAt(_state.Clock.Now));
    }

    [Fact]
    public async Task Closing_a_door_records_when_and_why_and_happens_once()
    {
        var door = await OpenInviteDoor();

        Assert.True(await _state.Doors.CloseAsync(door.Id, "done for today", "owner", None));
        Assert.False(await _state.Doors.CloseAsync(door.Id, "again", "owner", None));

        var closed = await _state.Doors.FindAsync(door.Id, None);
        Assert.Equal(_state.Clock.Now, closed!.ClosedAt);
        Assert.Equal("done for today", closed.CloseReason);
        Assert.Empty(await _state.Doors.ListAsync(_state.Clock.Now, includeShut: false, None));
        Assert.Single(await _state.Doors.ListAsync(_state.Clock.Now, includeShut: true, None));
    }

    [Fact]
    public async Task Only_open_unexpired_address_doors_are_listed_for_anonymous_checks()
    {
        var open = await _state.Doors.OpenAsync(new DoorRequest(DoorKind.Address, "a", TimeSpan.FromMinutes(30), IPNetwork.Parse("10.0.0.0/8")), "owner", None);
        var shut = await _state.Doors.OpenAsync(new DoorRequest(DoorKind.Address, "b", TimeSpan.FromMinutes(30), IPNetwork.Parse("10.0.0.0/8")), "owner", None);
        await _state.Doors.OpenAsync(new DoorRequest(DoorKind.Address, "c", TimeSpan.FromMinutes(5), IPNetwork.Parse("10.0.0.0/8")), "owner", None);
        await OpenInviteDoor();
        await _state.Doors.CloseAsync(shut.Id, "no", "owner", None);

        var listed = await _state.Doors.OpenAddressDoorsAsync(_state.Clock.Now.AddMinutes(10), None);

        Assert.Equal([open.Id], listed.Select(door => door.Id));
    }

    [Fact]
    public async Task The_last_session_of_a_door_goes_to_exactly_one_of_many_racing_handshakes()
    {
        var door = await _state.Doors.OpenAsync(new DoorRequest(DoorKind.Invite, "one", TimeSpan.FromHours(1), MaxSessions: 1), "owner", None);

        var taken = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _state.Doors.TryTakeSessionAsync(door.Id, None)));

        Assert.Single(taken, won => won);
        Assert.True((await _state.Doors.FindAsync(door.Id, None))!.IsExhausted);
    }

    [Fact]
    public async Task Bytes_add_up_on_the_door()
    {
        var door = await _state.Doors.OpenAsync(new DoorRequest(DoorKind.Invite, "bytes", TimeSpan.FromHours(1), MaxBytes: 100), "owner", None);

        await _state.Doors.AddBytesAsync(door.Id, 60, None);
        await _state.Doors.AddBytesAsync(door.Id, 40, None);

        var stored = await _state.Doors.FindAsync(door.Id, None);
        Assert.Equal(0, stored!.BytesRemaining);
        Assert.True(stored.IsExhausted);
    }

    [Fact]
    public async Task An_address_door_needs_a_prefix_and_an_invite_door_has_none()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _state.Doors.OpenAsync(new DoorRequest(DoorKind.Address, "x", TimeSpan.FromHours(1)), "owner", None));
        await Assert.ThrowsAsync<ArgumentException>(() => _state.Doors.OpenAsync(
            new DoorRequest(DoorKind.Invite, "x", TimeSpan.FromHours(1), IPNetwork.Parse("10.0.0.0/8")), "owner", None));
    }

    [Fact]
    public async Task Redeeming_an_invite_enrolls_a_new_identity_with_its_device_on_the_door()
    {
        var door = await OpenInviteDoor();
        var secretHash = Hash(7);
        await _state.Invites.CreateAsync(door.Id, secretHash, 1, _state.Clock.Now.AddHours(1), "owner", None);

        var redemption = await _state.Invites.RedeemAsync(secretHash, "carol-laptop", Key(9), None);

        Assert.True(redemption.Succeeded);
        Assert.Equal("carol-laptop", redemption.Identity!.Name);
        Assert.Equal(redemption.Identity.Id, (await _state.Identities.FindDeviceAsync(Key(9), None))?.IdentityId);
        Assert.True(await _state.Doors.IsMemberAsync(door.Id, redemption.Identity.Id, None));
        Assert.Equal(1, (await _state.Invites.ListAsync(door.Id, None)).Single().UsesMade);
        Assert.Equal("invite.redeem", (await Actions())[0]);
    }

    [Fact]
    public async Task A_single_use_invite_redeemed_twice_is_refused_as_used()
    {
        var door = await OpenInviteDoor();
        await _state.Invites.CreateAsync(door.Id, Hash(7), 1, _state.Clock.Now.AddHours(1), "owner", None);

        var results = await Task.WhenAll(
            _state.Invites.RedeemAsync(Hash(7), "one", Key(1), None),
            _state.Invites.RedeemAsync(Hash(7), "two", Key(2), None));

        Assert.Single(results, result => result.Succeeded);
        Assert.Single(results, result => result.Refusal == Refusal.InviteUsed);
        Assert.Single(await _state.Identities.ListAsync(None));
    }

    [Fact]
    public async Task An_n_use_invite_admits_n_devices()
    {
        var door = await OpenInviteDoor();
        await _state.Invites.CreateAsync(door.Id, Hash(7), 3, _state.Clock.Now.AddHours(1), "owner", None);

        var results = new List<InviteRedemption>();
        for (byte i = 1; i <= 4; i++)
        {
            results.Add(await _state.Invites.RedeemAsync(Hash(7), $"device{i}", Key(i), None));
        }

        Assert.Equal([null, null, null, Refusal.InviteUsed], results.Select(result => result.Refusal));
    }

    [Fact]
    public async Task Invites_refuse_when_unknown_expired_on_a_closed_door_or_for_an_enrolled_key()
    {
        var door = await OpenInviteDoor();
        await _state.Invites.CreateAsync(door.Id, Hash(1), 5, _state.Clock.Now.AddMinutes(10), "owner", None);
        await _state.Identities.AddDeviceAsync((await _state.Identities.AddAsync("x", "owner", None)).Id, Key(50), "x", "owner", None);

        Assert.Equal(Refusal.UnknownInvite, (await _state.Invites.RedeemAsync(Hash(2), "a", Key(1), None)).Refusal);
        Assert.Equal(Refusal.DeviceAlreadyEnrolled, (await _state.Invites.RedeemAsync(Hash(1), "a", Key(50), None)).Refusal);
        _state.Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(Refusal.InviteExpired, (await _state.Invites.RedeemAsync(Hash(1), "a", Key(1), None)).Refusal);

        var other = await OpenInviteDoor();
        await _state.Invites.CreateAsync(other.Id, Hash(3), 5, _state.Clock.Now.AddHours(1), "owner", None);
        await _state.Doors.CloseAsync(other.Id, "closed", "owner", None);
        Assert.Equal(Refusal.DoorClosed, (await _state.Invites.RedeemAsync(Hash(3), "a", Key(1), None)).Refusal);
    }

    [Fact]
    public async Task The_audit_log_pages_newest_first()
    {
        for (var i = 0; i < 5; i++)
        {
            await _state.Audit.AppendAsync("owner", "test.event", $"event {i}", None);
        }

        var firstPage = await _state.Audit.ListAsync(2, null, None);
        var secondPage = await _state.Audit.ListAsync(2, firstPage[^1].Id, None);

        Assert.Equal(["event 4", "event 3"], firstPage.Select(entry => entry.Detail));
        Assert.Equal(["event 2", "event 1"], secondPage.Select(entry => entry.Detail));
        Assert.All(firstPage, entry => Assert.Equal(_state.Clock.Now, entry.At));
    }

    private Task<DoorRecord> OpenInviteDoor(params long[] members) =>
        _state.Doors.OpenAsync(new DoorRequest(DoorKind.Invite, "door", TimeSpan.FromHours(1), Members: members), "owner", None);

    private async Task<List<string>> Actions() => (await _state.Audit.ListAsync(100, null, None)).Select(entry => entry.Action).ToList();

    private static byte[] Key(byte seed) => [.. Enumerable.Repeat(seed, 32)];

    private static byte[] Hash(byte seed) => [.. Enumerable.Repeat((byte)(seed + 100), 32)];
}
