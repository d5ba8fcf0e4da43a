using System.Net;
using System.Text;
using Splicer.Access;
using Splicer.Endings;
using Splicer.Governance.Entry;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Access;

/// <summary>The native handshake over real sockets, a real relay in <c>Doors</c> mode and a real SQLite file: one test per rule.</summary>
public sealed class NativeHandshakeRelayTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private DoorsRelay _relay = null!;

    public async Task InitializeAsync() => _relay = await DoorsRelay.StartAsync();

    public Task DisposeAsync() => _relay.DisposeAsync().AsTask();

    [Fact]
    public async Task Two_members_hear_ok_with_their_limits_then_paired_and_their_bytes_flow()
    {
        var door = await _relay.OpenInviteDoorAsync(maxSessions: 5, maxBytes: 1_000_000);
        var alice = await _relay.EnrollAsync(door, "alice");
        var bob = await _relay.EnrollAsync(door, "bob");

        var token = Pairing.NewToken();
        var (a, answer) = await _relay.SendAsync(DoorsRelay.RelayLine(token, Pairing.NewSide(), alice.Credential, alice.Device));
        Assert.Equal($"ok expires={door.ExpiresAt.ToUnixTimeSeconds()} bytes=1000000 sessions=5 rate=unlimited concurrent=unlimited spent=cut\n", answer);
        var (b, _) = await _relay.SendAsync(DoorsRelay.RelayLine(token, Pairing.NewSide(), bob.Credential, bob.Device));
        using var pair = new ClientPair(a, b, token);
        Assert.Equal("paired\n", await a.ReadLineAsync());
        Assert.Equal("paired\n", await b.ReadLineAsync());

        await a.SendAsync("hello bob");
        Assert.Equal("hello bob", Encoding.ASCII.GetString(await b.ReadExactlyAsync(9)));
        a.ShutdownSend();
        b.ShutdownSend();
        await pair.BothClosedAsync();

        var session = await _relay.Records.WaitForSessionAsync(Outcome.Happy);
        Assert.Equal((door.Id, alice.IdentityId, door.Id, bob.IdentityId), (session.DoorA, session.IdentityA, session.DoorB, session.IdentityB));
        Assert.Equal(1, (await _relay.Doors.FindAsync(door.Id, None))!.SessionsUsed);
        await Patience.UntilAsync(async () => (await _relay.Doors.FindAsync(door.Id, None))!.BytesUsed == 9, "the door to count the session's bytes");
    }

    [Theory]
    [InlineData("malformed")]
    [InlineData("unsupported_version")]
    [InlineData("bad_signature")]
    [InlineData("credential_expired")]
    [InlineData("clock_skew")]
    [InlineData("replayed")]
    [InlineData("unknown_identity")]
    [InlineData("identity_disabled")]
    [InlineData("unknown_device")]
    [InlineData("unknown_door")]
    [InlineData("door_closed")]
    [InlineData("door_expired")]
    [InlineData("door_exhausted")]
    [InlineData("not_allowed_on_door")]
    [InlineData("address_not_allowed")]
    [InlineData("unknown_invite")]
    [InlineData("invite_used")]
    [InlineData("invite_expired")]
    [InlineData("device_already_enrolled")]
    public async Task Each_access_refusal_is_a_line_naming_its_word_then_the_close(string word)
    {
        var line = await LineRefusedWithAsync(word);

        var (client, answer) = await _relay.SendAsync(line);
        using (client)
        {
            Assert.StartsWith($"refused {word} ", answer);
            Assert.EndsWith("\n", answer);
            Assert.Equal(Closure.Fin, await client.WaitClosedAsync());
        }

        var record = await _relay.Records.WaitForAsync(r => r.Ending.Refusal?.Word == word);
        Assert.Equal(Outcome.Refused, record.Outcome);
    }

    [Fact]
    public async Task A_copied_credential_used_from_another_key_is_refused_bad_signature()
    {
        var door = await _relay.OpenInviteDoorAsync();
        var alice = await _relay.EnrollAsync(door);
        using var thief = DeviceKey.Create();

        var (client, answer) = await _relay.SendAsync(DoorsRelay.RelayLine(Pairing.NewToken(), Pairing.NewSide(), alice.Credential, thief));
        client.Dispose();

        Assert.StartsWith("refused bad_signature ", answer);
    }

    [Fact]
    public async Task Joining_with_an_invite_answers_a_credential_that_then_pairs()
    {
        var door = await _relay.OpenInviteDoorAsync();
        var invite = await _relay.CreateInviteAsync(door);
        using var carol = DeviceKey.Create();
        var alice = await _relay.EnrollAsync(door);

        var (client, answer) = await _relay.SendAsync(DoorsRelay.JoinLine(invite, carol, "carol"));
        Assert.Equal(Closure.Fin, await client.WaitClosedAsync());
        client.Dispose();

        var fields = answer.TrimEnd('\n').Split(' ').Skip(1).ToDictionary(field => field.Split('=')[0], field => field[(field.IndexOf('=') + 1)..]);
        Assert.StartsWith("ok identity=", answer);
        Assert.Equal(door.Id.ToString(), fields["door"]);
        Assert.Equal(BoxPublicKey.FingerprintOf(Convert.FromBase64String(ToBase64(fields["box"]))), invite.FingerprintText);
        var joined = new Member(long.Parse(fields["identity"]), door.Id, carol, fields["credential"]);
        Assert.Equal(Outcome.Joined, (await _relay.Records.WaitForAsync(Outcome.Joined)).Outcome);

        using var pair = await _relay.PairAsync(joined, alice);
    }

    [Fact]
    public async Task An_invite_redeemed_twice_when_single_use_is_refused_invite_used()
    {
        var door = await _relay.OpenInviteDoorAsync();
        var invite = await _relay.CreateInviteAsync(door, uses: 1);
        using var first = DeviceKey.Create();
        using var second = DeviceKey.Create();

        var (one, firstAnswer) = await _relay.SendAsync(DoorsRelay.JoinLine(invite, first, "first"));
        var (two, secondAnswer) = await _relay.SendAsync(DoorsRelay.JoinLine(invite, second, "second"));
        one.Dispose();
        two.Dispose();

        Assert.StartsWith("ok identity=", firstAnswer);
        Assert.StartsWith("refused invite_used ", secondAnswer);
    }

    [Fact]
    public async Task A_door_allowing_one_session_refuses_the_next_handshake_door_exhausted()
    {
        var door = await _relay.OpenInviteDoorAsync(maxSessions: 1);
        var alice = await _relay.EnrollAsync(door, "alice");
        var bob = await _relay.EnrollAsync(door, "bob");
        using var pair = await _relay.PairAsync(alice, bob);

        var (client, answer) = await _relay.SendAsync(DoorsRelay.RelayLine(Pairing.NewToken(), Pairing.NewSide(), alice.Credential, alice.Device));
        client.Dispose();

        Assert.StartsWith("refused door_exhausted ", answer);
    }

    [Fact]
    public async Task A_wormhole_client_hears_plain_ok_when_its_partner_is_native()
    {
        var door = await _relay.OpenInviteDoorAsync();
        var alice = await _relay.EnrollAsync(door);
        await _relay.OpenAddressDoorAsync("127.0.0.0/8");
        var token = Pairing.NewToken();

        var (native, answer) = await _relay.SendAsync(DoorsRelay.RelayLine(token, Pairing.NewSide(), alice.Credential, alice.Device));
        Assert.StartsWith("ok expires=", answer);
        using var wormhole = await TestClient.RequestAsync(_relay.EndPoint, token, Pairing.NewSide());
        using var pair = new ClientPair(native, wormhole, token);

        Assert.Equal("paired\n", await native.ReadLineAsync());
        Assert.Equal("ok\n", await wormhole.ReadLineAsync());
    }

    private async Task<string> LineRefusedWithAsync(string word)
    {
        var token = Pairing.NewToken();
        var side = Pairing.NewSide();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        switch (word)
        {
            case "malformed":
                return $"splicer 1 relay {token} {side} !\n";
            case "unsupported_version":
                return "splicer 2 relay\n";
            case "address_not_allowed":
                return Pairing.Handshake(token, side);
        }

        var door = await _relay.OpenInviteDoorAsync();
        var alice = await _relay.EnrollAsync(door);
        switch (word)
        {
            case "bad_signature":
                return DoorsRelay.RelayLine(token, side, alice.Credential, alice.Device, relayName: "another.relay");
            case "credential_expired":
                return DoorsRelay.RelayLine(token, side, _relay.Credential(alice.IdentityId, door.Id, alice.Device, TimeSpan.FromSeconds(-1)), alice.Device);
            case "clock_skew":
                return DoorsRelay.RelayLine(token, side, alice.Credential, alice.Device, time: now - 600);
            case "replayed":
                var line = DoorsRelay.RelayLine(token, side, alice.Credential, alice.Device);
                var (first, answer) = await _relay.SendAsync(line);
                first.Dispose();
                Assert.StartsWith("ok ", answer);
                return line;
            case "unknown_identity":
                await _relay.Identities.DeleteAsync(alice.IdentityId, "owner", None);
                return DoorsRelay.RelayLine(token, side, alice.Credential, alice.Device);
            case "identity_disabled":
                await _relay.Identities.DisableAsync(alice.IdentityId, "owner", None);
                return DoorsRelay.RelayLine(token, side, alice.Credential, alice.Device);
            case "unknown_device":
                var device = (await _relay.Identities.DevicesAsync(alice.IdentityId, None)).Single();
                await _relay.Identities.RemoveDeviceAsync(device.Id, "owner", None);
                return DoorsRelay.RelayLine(token, side, alice.Credential, alice.Device);
            case "unknown_door":
                return DoorsRelay.RelayLine(token, side, _relay.Credential(alice.IdentityId, 999_999, alice.Device, TimeSpan.FromDays(1)), alice.Device);
            case "door_closed":
                await _relay.Doors.CloseAsync(door.Id, "test", "owner", None);
                return DoorsRelay.RelayLine(token, side, alice.Credential, alice.Device);
            case "door_expired":
                var brief = await _relay.OpenInviteDoorAsync(duration: TimeSpan.FromMilliseconds(1));
                var late = await _relay.EnrollAsync(brief, "late");
                return DoorsRelay.RelayLine(token, side, late.Credential, late.Device);
            case "door_exhausted":
                var none = await _relay.OpenInviteDoorAsync(maxSessions: 0);
                var hopeful = await _relay.EnrollAsync(none, "hopeful");
                return DoorsRelay.RelayLine(token, side, hopeful.Credential, hopeful.Device);
            case "not_allowed_on_door":
                var other = await _relay.OpenInviteDoorAsync();
                return DoorsRelay.RelayLine(token, side, _relay.Credential(alice.IdentityId, other.Id, alice.Device, TimeSpan.FromDays(1)), alice.Device);
            case "unknown_invite":
                using (var stranger = DeviceKey.Create())
                {
                    return DoorsRelay.JoinLine(InviteCode.Create(["relay:4001"], DoorsRelay.RelayName, _relay.BoxKeys.Current), stranger, "stranger");
                }

            case "invite_used":
                var used = await _relay.CreateInviteAsync(door, uses: 1);
                using (var earlier = DeviceKey.Create())
                {
                    var (client, redeemed) = await _relay.SendAsync(DoorsRelay.JoinLine(used, earlier, "first"));
                    client.Dispose();
                    Assert.StartsWith("ok identity=", redeemed);
                }

                using (var second = DeviceKey.Create())
                {
                    return DoorsRelay.JoinLine(used, second, "second");
                }

            case "invite_expired":
                var expired = await _relay.CreateInviteAsync(door, lifetime: TimeSpan.FromSeconds(-1));
                using (var newcomer = DeviceKey.Create())
                {
                    return DoorsRelay.JoinLine(expired, newcomer, "late");
                }

            case "device_already_enrolled":
                return DoorsRelay.JoinLine(await _relay.CreateInviteAsync(door), alice.Device, "again");
            default:
                throw new ArgumentOutOfRangeException(nameof(word), word, "no test for this word");
        }
    }

    private static string ToBase64(string base64Url)
    {
        var text = base64Url.Replace('-', '+').Replace('_', '/');
        return text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
    }
}
