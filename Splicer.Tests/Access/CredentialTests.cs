using Splicer.Access;
using Splicer.Endings;
using Splicer.Governance;
using Splicer.Governance.Entry;
using Splicer.Tests.State;

namespace Splicer.Tests.Access;

/// <summary>Credentials, proofs of possession and invites: their encodings and what makes them fail.</summary>
public sealed class CredentialTests : IDisposable
{
    private readonly StateFolder _folder = new();
    private readonly ManualClock _clock = new();
    private readonly BoxKeyRing _ring;
    private readonly DeviceKey _device = DeviceKey.Create();

    public CredentialTests()
    {
        _ring = BoxKeyRing.LoadOrCreate(_folder.Path, TimeSpan.FromDays(30), _clock);
    }

    [Fact]
    public void A_credential_is_one_line_of_183_base64url_characters_that_round_trips()
    {
        var text = Credential.Issue(_ring.Signer, 42, 7, _device.PublicKey.Span, _clock.Now, _clock.Now.AddHours(1));

        Assert.Equal(Credential.TextLength, text.Length);
        Assert.Matches("^[A-Za-z0-9_-]+$", text);
        Assert.Null(Credential.TryVerify(text, _ring.PublicKeys, _clock.Now, out var credential));
        Assert.Equal((42L, 7L), (credential!.IdentityId, credential.DoorId));
        Assert.Equal(_clock.Now.AddHours(1), credential.ExpiresAt);
        Assert.Equal(_device.PublicKey.ToArray(), credential.DevicePublicKey.ToArray());
    }

    [Fact]
    public void A_credential_verifies_with_nothing_but_the_box_public_key()
    {
        var text = Credential.Issue(_ring.Signer, 1, 1, _device.PublicKey.Span, _clock.Now, _clock.Now.AddHours(1));
        var elsewhere = new BoxPublicKeySet([BoxPublicKey.FromRaw(_ring.Current.Raw.Span)]);

        Assert.Null(Credential.TryVerify(text, elsewhere, _clock.Now, out _));
    }

    [Fact]
    public void Any_changed_byte_makes_a_credential_bad_signature_or_malformed()
    {
        var text = Credential.Issue(_ring.Signer, 1, 1, _device.PublicKey.Span, _clock.Now, _clock.Now.AddHours(1));
        for (var i = 0; i < text.Length; i++)
        {
            var changed = text.ToCharArray();
            changed[i] = changed[i] == 'A' ? 'B' : 'A';
            var reason = Credential.TryVerify(new string(changed), _ring.PublicKeys, _clock.Now, out _);
            Assert.True(reason == Refusal.BadSignature || reason == Refusal.Malformed, $"byte {i}: {reason}");
        }
    }

    [Fact]
    public void A_credential_from_another_box_is_bad_signature()
    {
        using var otherFolder = new StateFolder();
        using var other = BoxKeyRing.LoadOrCreate(otherFolder.Path, TimeSpan.FromDays(30), _clock);
        var text = Credential.Issue(other.Signer, 1, 1, _device.PublicKey.Span, _clock.Now, _clock.Now.AddHours(1));

        Assert.Equal(Refusal.BadSignature, Credential.TryVerify(text, _ring.PublicKeys, _clock.Now, out _));
    }

    [Fact]
    public void A_credential_is_expired_from_its_expiry_on()
    {
        var text = Credential.Issue(_ring.Signer, 1, 1, _device.PublicKey.Span, _clock.Now, _clock.Now.AddHours(1));
        _clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(Refusal.CredentialExpired, Credential.TryVerify(text, _ring.PublicKeys, _clock.Now, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("!!not base64!!")]
    public void Garbage_is_malformed(string text) =>
        Assert.Equal(Refusal.Malformed, Credential.TryVerify(text, _ring.PublicKeys, _clock.Now, out _));

    [Fact]
    public void A_proof_verifies_only_for_the_same_token_side_credential_relay_and_time()
    {
        var message = ProofOfPossession.RelayMessage(new string('a', 64), "side", "cred", "relay1", 1000);
        var proof = ProofOfPossession.Sign(_device, message);

        Assert.Equal(86, proof.Length);
        Assert.True(ProofOfPossession.Verify(_device.PublicKey.Span, message, proof));
        Assert.False(ProofOfPossession.Verify(_device.PublicKey.Span, ProofOfPossession.RelayMessage(new string('b', 64), "side", "cred", "relay1", 1000), proof));
        Assert.False(ProofOfPossession.Verify(_device.PublicKey.Span, ProofOfPossession.RelayMessage(new string('a', 64), "other", "cred", "relay1", 1000), proof));
        Assert.False(ProofOfPossession.Verify(_device.PublicKey.Span, ProofOfPossession.RelayMessage(new string('a', 64), "side", "other", "relay1", 1000), proof));
        Assert.False(ProofOfPossession.Verify(_device.PublicKey.Span, ProofOfPossession.RelayMessage(new string('a', 64), "side", "cred", "relay2", 1000), proof));
        Assert.False(ProofOfPossession.Verify(_device.PublicKey.Span, ProofOfPossession.RelayMessage(new string('a', 64), "side", "cred", "relay1", 1001), proof));
    }

    [Fact]
    public void The_proof_message_is_the_documented_text()
    {
        var message = System.Text.Encoding.UTF8.GetString(ProofOfPossession.RelayMessage("token", "side", "cred", "relay.example", 1700000000));

        static string Sha256(string text) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(text)));
        Assert.Equal(
            "splicer relay proof v1\n"
            + $"token-sha256: {Sha256("token")}\n"
            + "side: side\n"
            + $"credential-sha256: {Sha256("cred")}\n"
            + "relay: relay.example\n"
            + "time: 1700000000\n",
            message);
    }

    [Fact]
    public void Skew_is_allowed_up_to_the_limit_either_way()
    {
        var now = _clock.Now;
        var seconds = now.ToUnixTimeSeconds();

        Assert.True(ProofOfPossession.IsWithinSkew(seconds + 120, now, TimeSpan.FromSeconds(120)));
        Assert.True(ProofOfPossession.IsWithinSkew(seconds - 120, now, TimeSpan.FromSeconds(120)));
        Assert.False(ProofOfPossession.IsWithinSkew(seconds + 121, now, TimeSpan.FromSeconds(120)));
        Assert.False(ProofOfPossession.IsWithinSkew(seconds - 121, now, TimeSpan.FromSeconds(120)));
    }

    [Fact]
    public void An_invite_is_one_line_that_round_trips_and_whose_text_representation_hides_the_secret()
    {
        var invite = InviteCode.Create(["relay.example.net:4001", "[2001:db8::1]:4001"], "relay.example.net", _ring.Current);

        var text = invite.Format();
        Assert.StartsWith(InviteCode.Prefix, text);
        Assert.DoesNotContain('\n', text);
        Assert.True(InviteCode.TryParse(text, out var parsed));
        Assert.Equal(invite.Addresses, parsed!.Addresses);
        Assert.Equal("relay.example.net", parsed.RelayName);
        Assert.Equal(_ring.Current.Fingerprint, parsed.FingerprintText);
        Assert.Equal(invite.SecretHash, parsed.SecretHash);
        Assert.DoesNotContain(text[InviteCode.Prefix.Length..], invite.ToString());
    }

    [Fact]
    public void Two_invites_never_share_a_secret()
    {
        var first = InviteCode.Create(["a:1"], "relay", _ring.Current);
        var second = InviteCode.Create(["a:1"], "relay", _ring.Current);

        Assert.NotEqual(first.Secret.ToArray(), second.Secret.ToArray());
    }

    [Theory]
    [InlineData("", InviteFault.NotAnInvite)]
    [InlineData("other-prefix.AQID", InviteFault.NotAnInvite)]
    [InlineData("invite.AQID", InviteFault.NotAnInvite)]
    [InlineData("spl", InviteFault.NotAnInvite)]
    [InlineData("splicer-invite.", InviteFault.Damaged)]
    [InlineData("splicer-invite.AAAA", InviteFault.Damaged)]
    [InlineData("splicer-invite.AQ*D", InviteFault.Damaged)]
    [InlineData("splicer-inv", InviteFault.Damaged)]
    [InlineData("splicer-invite.Ag", InviteFault.NewerVersion)]
    public void An_unusable_invite_does_not_parse_and_says_why(string text, InviteFault expected)
    {
        Assert.False(InviteCode.TryParse(text, out var invite, out var fault));
        Assert.Null(invite);
        Assert.Equal(expected, fault);
    }

    [Fact]
    public void A_truncated_invite_does_not_parse_and_is_called_damaged_at_every_length()
    {
        var text = InviteCode.Create(["relay:4001"], "relay", _ring.Current).Format();
        for (var length = InviteCode.ShortestCutPrefix; length < text.Length; length++)
        {
            Assert.False(InviteCode.TryParse(text[..length], out _, out var fault), $"parsed at length {length}");
            Assert.True(fault == InviteFault.Damaged, $"at length {length}: {fault}");
        }
    }

    [Fact]
    public void A_whole_invite_with_spaces_around_it_parses_with_no_fault()
    {
        var text = InviteCode.Create(["relay:4001"], "relay", _ring.Current).Format();

        Assert.True(InviteCode.TryParse($"  {text}\n", out var invite, out var fault));
        Assert.Equal((InviteFault.None, "relay"), (fault, invite!.RelayName));
    }

    public void Dispose()
    {
        _device.Dispose();
        _ring.Dispose();
        _folder.Dispose();
    }
}
