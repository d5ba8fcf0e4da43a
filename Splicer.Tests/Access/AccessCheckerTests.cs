using System.Net;
using Microsoft.Extensions.Options;
using Splicer.Access;
using Splicer.Endings;
using Splicer.Governance;
using Splicer.Governance.Entry;
using Splicer.Handshake;
using Splicer.State;
using Splicer.Tests.Infrastructure;
using Splicer.Tests.State;

namespace Splicer.Tests.Access;

/// <summary>Every refusal reason, one test each, through the checker over a real state database.</summary>
public sealed class AccessCheckerTests : IAsyncLifetime
{
    private const string RelayName = "relay.test";
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly string Token = new('t', 64);
    private readonly StateFolder _folder = new();
    private readonly AccessOptions _options = new() { RelayName = RelayName, Mode = AccessMode.Doors };
    private readonly DeviceKey _device = DeviceKey.Create();
    private StateFixture _state = null!;
    private BoxKeyRing _ring = null!;
    private readonly StubQuotaMeter _meter = new();
    private AccessChecker _checker = null!;
    private InviteEnrollment _enrollment = null!;
    private IdentityRecord _alice = null!;
    private DoorRecord _door = null!;

    public async Task InitializeAsync()
    {
        _state = await StateFixture.OpenAsync(_folder);
        _ring = BoxKeyRing.LoadOrCreate(_folder.Path, _options.CredentialLifetime, _state.Clock);
        var monitor = new FixedOptions<AccessOptions>(_options);
        var replays = new ProofReplayGuard(_state.Clock);
        _checker = new AccessChecker(_state.Directory, _ring, replays, _meter, monitor, _state.Clock);
        _enrollment = new InviteEnrollment(_state.Invites, _ring, replays, monitor, _state.Clock);

        _alice = await _state.Identities.AddAsync("alice", "owner", None);
        await _state.Identities.AddDeviceAsync(_alice.Id, _device.PublicKey, "laptop", "owner", None);
        _door = await _state.Doors.OpenAsync(new DoorRequest(DoorKind.Invite, "alice's door", TimeSpan.FromHours(2), MaxSessions: 10, MaxBytes: 5000, Members: [_alice.Id]), "owner", None);
    }

    public async Task DisposeAsync()
    {
        _ring.Dispose();
        _device.Dispose();
        await _state.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_member_with_a_valid_credential_and_proof_is_accepted_with_the_door_limits()
    {
        var decision = await _checker.CheckRelayAsync(Request(Credential()), None);

        Assert.True(decision.IsAccepted, decision.ToString());
        Assert.Equal(new AccessLimits(_door.ExpiresAt, 5000, 10, _door.Id, _alice.Id, decision.Limits!.DeviceId), decision.Limits);
    }

    [Fact]
    public async Task A_spent_daily_or_monthly_quota_of_the_identity_or_the_door_is_refused_with_its_own_reason()
    {
        await _state.Identities.SetQuotaAsync(_alice.Id, new Quota(BytesPerDay: 1000), "owner", None);
        _meter[QuotaSubject.Identity(_alice.Id)] = new QuotaUse(BytesToday: 1000, BytesThisMonth: 1000, Sessions: 0);
        await Refused(Refusal.QuotaSpent, Request(Credential()));

        await _state.Identities.SetQuotaAsync(_alice.Id, Quota.None, "owner", None);
        await _state.Doors.SetQuotaAsync(_door.Id, new Quota(BytesPerMonth: 5000), "owner", None);
        _meter[QuotaSubject.Door(_door.Id)] = new QuotaUse(BytesToday: 0, BytesThisMonth: 5000, Sessions: 0);
        await Refused(Refusal.QuotaSpent, Request(Credential(), timeOffset: 1));
    }

    [Fact]
    public async Task A_quota_whose_sessions_all_run_refuses_the_next_with_its_own_reason()
    {
        await _state.Identities.SetQuotaAsync(_alice.Id, new Quota(Sessions: 2), "owner", None);
        _meter[QuotaSubject.Identity(_alice.Id)] = new QuotaUse(0, 0, Sessions: 2);

        await Refused(Refusal.QuotaSessions, Request(Credential()));
    }

    [Fact]
    public async Task What_the_quotas_leave_is_the_least_over_identity_and_door()
    {
        await _state.Identities.SetQuotaAsync(_alice.Id, new Quota(BytesPerDay: 10_000, Sessions: 3, BytesPerSecond: 50_000), "owner", None);
        await _state.Doors.SetQuotaAsync(_door.Id, new Quota(BytesPerMonth: 9_000, BytesPerSecond: 20_000), "owner", None);
        _meter[QuotaSubject.Identity(_alice.Id)] = new QuotaUse(BytesToday: 4_000, BytesThisMonth: 4_000, Sessions: 1);
        _meter[QuotaSubject.Door(_door.Id)] = new QuotaUse(BytesToday: 2_000, BytesThisMonth: 2_000, Sessions: 1);

        var decision = await _checker.CheckRelayAsync(Request(Credential()), None);

        Assert.True(decision.IsAccepted, decision.ToString());
        Assert.Equal(new QuotaAllowance(BytesRemaining: 6_000, BytesPerSecond: 20_000, SessionsRemaining: 2), decision.Limits!.QuotaAllowance);
        Assert.Equal(2, decision.Limits.Quotas.Count);
    }

    [Fact]
    public async Task The_expiry_is_the_credentials_when_it_ends_before_the_door() =>
        Assert.Equal(_state.Clock.Now.AddMinutes(30), (await _checker.CheckRelayAsync(Request(Credential(expiresIn: TimeSpan.FromMinutes(30))), None)).Limits!.ExpiresAt);

    [Fact]
    public Task Malformed_credential() => Refused(Refusal.Malformed, Request("AAAA"));

    [Fact]
    public async Task Bad_signature_when_the_credential_is_from_another_box()
    {
        using var otherFolder = new StateFolder();
        using var other = BoxKeyRing.LoadOrCreate(otherFolder.Path, TimeSpan.FromDays(1), _state.Clock);
        await Refused(Refusal.BadSignature, Request(Credential(ring: other)));
    }

    [Fact]
    public async Task Bad_signature_when_a_copied_credential_is_used_from_another_key()
    {
        using var thief = DeviceKey.Create();
        await Refused(Refusal.BadSignature, Request(Credential(), signer: thief));
    }

    [Fact]
    public Task Bad_signature_when_the_proof_is_for_another_relay() =>
        Refused(Refusal.BadSignature, Request(Credential(), relayName: "elsewhere"));

    [Fact]
    public async Task Credential_expired()
    {
        var credential = Credential(expiresIn: TimeSpan.FromMinutes(1));
        _state.Clock.Advance(TimeSpan.FromMinutes(1));
        await Refused(Refusal.CredentialExpired, Request(credential));
    }

    [Fact]
    public Task Clock_skew_ahead() => Refused(Refusal.ClockSkew, Request(Credential(), timeOffset: 121));

    [Fact]
    public Task Clock_skew_behind() => Refused(Refusal.ClockSkew, Request(Credential(), timeOffset: -121));

    [Fact]
    public async Task Within_the_skew_is_accepted() =>
        Assert.True((await _checker.CheckRelayAsync(Request(Credential(), timeOffset: -120), None)).IsAccepted);

    [Fact]
    public async Task Replayed()
    {
        var request = Request(Credential());
        Assert.True((await _checker.CheckRelayAsync(request, None)).IsAccepted);
        await Refused(Refusal.Replayed, request);
    }

    [Fact]
    public async Task Unknown_identity_once_deleted()
    {
        var credential = Credential();
        await _state.Identities.DeleteAsync(_alice.Id, "owner", None);
        await Refused(Refusal.UnknownIdentity, Request(credential));
    }

    [Fact]
    public async Task Identity_disabled()
    {
        await _state.Identities.DisableAsync(_alice.Id, "owner", None);
        await Refused(Refusal.IdentityDisabled, Request(Credential()));
    }

    [Fact]
    public async Task Unknown_device_once_removed()
    {
        var device = (await _state.Identities.DevicesAsync(_alice.Id, None)).Single();
        await _state.Identities.RemoveDeviceAsync(device.Id, "owner", None);
        await Refused(Refusal.UnknownDevice, Request(Credential()));
    }

    [Fact]
    public async Task Unknown_device_when_the_key_belongs_to_someone_else()
    {
        var bob = await _state.Identities.AddAsync("bob", "owner", None);
        await _state.Doors.AddMemberAsync(_door.Id, bob.Id, "owner", None);
        await Refused(Refusal.UnknownDevice, Request(Credential(identityId: bob.Id)));
    }

    [Fact]
    public Task Unknown_door() => Refused(Refusal.UnknownDoor, Request(Credential(doorId: 999)));

    [Fact]
    public async Task Door_closed()
    {
        await _state.Doors.CloseAsync(_door.Id, "enough", "owner", None);
        await Refused(Refusal.DoorClosed, Request(Credential()));
    }

    [Fact]
    public async Task Door_expired()
    {
        var credential = Credential(expiresIn: TimeSpan.FromHours(5));
        _state.Clock.Advance(TimeSpan.FromHours(2));
        await Refused(Refusal.DoorExpired, Request(credential));
    }

    [Fact]
    public async Task Door_exhausted()
    {
        await _state.Doors.AddBytesAsync(_door.Id, 5000, None);
        await Refused(Refusal.DoorExhausted, Request(Credential()));
    }

    [Fact]
    public async Task Not_allowed_on_door()
    {
        var other = await _state.Doors.OpenAsync(new DoorRequest(DoorKind.Invite, "not alice's", TimeSpan.FromHours(1)), "owner", None);
        await Refused(Refusal.NotAllowedOnDoor, Request(Credential(doorId: other.Id)));
    }

    [Fact]
    public async Task Address_not_allowed_in_doors_mode_outside_every_address_door()
    {
        await _state.Doors.OpenAsync(new DoorRequest(DoorKind.Address, "office", TimeSpan.FromMinutes(30), IPNetwork.Parse("203.0.113.0/24")), "owner", None);

        var outside = await _checker.CheckAnonymousAsync(IPAddress.Parse("198.51.100.7"), None);
        var inside = await _checker.CheckAnonymousAsync(IPAddress.Parse("::ffff:203.0.113.9"), None);

        Assert.Equal(Refusal.AddressNotAllowed, outside.Reason);
        Assert.True(inside.IsAccepted);
    }

    [Fact]
    public async Task An_address_door_stops_admitting_when_it_closes()
    {
        var door = await _state.Doors.OpenAsync(new DoorRequest(DoorKind.Address, "office", TimeSpan.FromMinutes(30), IPNetwork.Parse("203.0.113.0/24")), "owner", None);
        await _state.Doors.CloseAsync(door.Id, "done", "owner", None);

        Assert.Equal(Refusal.AddressNotAllowed, (await _checker.CheckAnonymousAsync(IPAddress.Parse("203.0.113.9"), None)).Reason);
    }

    [Fact]
    public async Task Open_mode_admits_anonymous_handshakes_from_anywhere()
    {
        _options.Mode = AccessMode.Open;
        Assert.Equal(AccessLimits.Unlimited, (await _checker.CheckAnonymousAsync(IPAddress.Parse("198.51.100.7"), None)).Limits);
    }

    [Fact]
    public async Task Joining_with_an_invite_yields_a_credential_that_is_then_accepted()
    {
        var invite = await CreateInvite(uses: 1);
        using var newcomer = DeviceKey.Create();

        var joined = await _enrollment.JoinAsync(Join(invite, newcomer, "carol"), None);

        Assert.True(joined.Succeeded, joined.Detail);
        Assert.Equal(_door.Id, joined.DoorId);
        Assert.Equal(_door.ExpiresAt, joined.ExpiresAt);
        Assert.Equal(invite.FingerprintText, BoxPublicKey.FingerprintOf(Convert.FromBase64String(ToBase64(joined.BoxPublicKey))));
        Assert.True((await _checker.CheckRelayAsync(Request(joined.Credential, signer: newcomer), None)).IsAccepted);
    }

    [Fact]
    public async Task Invite_used()
    {
        var invite = await CreateInvite(uses: 1);
        using var first = DeviceKey.Create();
        using var second = DeviceKey.Create();

        Assert.True((await _enrollment.JoinAsync(Join(invite, first, "first"), None)).Succeeded);
        Assert.Equal(Refusal.InviteUsed, (await _enrollment.JoinAsync(Join(invite, second, "second"), None)).Refusal);
    }

    [Fact]
    public async Task Invite_expired()
    {
        var invite = await CreateInvite(uses: 1, expiresIn: TimeSpan.FromMinutes(5));
        _state.Clock.Advance(TimeSpan.FromMinutes(5));
        using var device = DeviceKey.Create();

        Assert.Equal(Refusal.InviteExpired, (await _enrollment.JoinAsync(Join(invite, device, "late"), None)).Refusal);
    }

    [Fact]
    public async Task Unknown_invite()
    {
        var invite = InviteCode.Create(["relay:4001"], RelayName, _ring.Current);
        using var device = DeviceKey.Create();

        Assert.Equal(Refusal.UnknownInvite, (await _enrollment.JoinAsync(Join(invite, device, "stranger"), None)).Refusal);
    }

    [Fact]
    public async Task Device_already_enrolled()
    {
        var invite = await CreateInvite(uses: 2);
        Assert.Equal(Refusal.DeviceAlreadyEnrolled, (await _enrollment.JoinAsync(Join(invite, _device, "again"), None)).Refusal);
    }

    [Fact]
    public async Task A_join_proof_made_with_another_key_is_bad_signature()
    {
        var invite = await CreateInvite(uses: 1);
        using var device = DeviceKey.Create();
        using var other = DeviceKey.Create();
        var request = Join(invite, device, "carol");
        var forged = request with { Proof = ProofOfPossession.Sign(other, JoinMessage(invite, device, "carol", request.Time)) };

        Assert.Equal(Refusal.BadSignature, (await _enrollment.JoinAsync(forged, None)).Refusal);
    }

    private async Task Refused(Refusal reason, NativeRelayRequest request)
    {
        var decision = await _checker.CheckRelayAsync(request, None);
        Assert.False(decision.IsAccepted, $"expected {reason.Word}, got {decision}");
        Assert.Equal(reason, decision.Reason);
        Assert.False(string.IsNullOrWhiteSpace(decision.Detail));
    }

    private string Credential(long? identityId = null, long? doorId = null, TimeSpan? expiresIn = null, BoxKeyRing? ring = null) =>
        Splicer.Access.Credential.Issue((ring ?? _ring).Signer, identityId ?? _alice.Id, doorId ?? _door.Id, _device.PublicKey.Span,
            _state.Clock.Now, _state.Clock.Now + (expiresIn ?? TimeSpan.FromDays(1)));

    private NativeRelayRequest Request(string credential, DeviceKey? signer = null, string relayName = RelayName, long timeOffset = 0)
    {
        var time = _state.Clock.Now.ToUnixTimeSeconds() + timeOffset;
        var proof = ProofOfPossession.Sign(signer ?? _device, ProofOfPossession.RelayMessage(Token, "side000000000001", credential, relayName, time));
        return new NativeRelayRequest(Token, "side000000000001", credential, time, proof);
    }

    private async Task<InviteCode> CreateInvite(int uses, TimeSpan? expiresIn = null)
    {
        var invite = InviteCode.Create(["relay:4001"], RelayName, _ring.Current);
        await _state.Invites.CreateAsync(_door.Id, invite.SecretHash, uses, _state.Clock.Now + (expiresIn ?? TimeSpan.FromHours(1)), "owner", None);
        return invite;
    }

    private NativeJoinRequest Join(InviteCode invite, DeviceKey device, string name)
    {
        var time = _state.Clock.Now.ToUnixTimeSeconds();
        return new NativeJoinRequest(Base64Url(invite.Secret.Span), device.PublicKeyText, time,
            ProofOfPossession.Sign(device, JoinMessage(invite, device, name, time)), name);
    }

    private static byte[] JoinMessage(InviteCode invite, DeviceKey device, string name, long time) =>
        ProofOfPossession.JoinMessage(invite.Secret.Span, device.PublicKeyText, name, RelayName, time);

    private static string Base64Url(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    private static string ToBase64(string base64Url)
    {
        var text = base64Url.Replace('-', '+').Replace('_', '/');
        return text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
    }
}

/// <summary>Options a test can change between calls.</summary>
internal sealed class FixedOptions<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
