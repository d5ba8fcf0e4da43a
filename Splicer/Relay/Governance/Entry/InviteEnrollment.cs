using Microsoft.Extensions.Options;
using Splicer.Access;
using Splicer.Endings;
using Splicer.Governance;
using Splicer.Handshake;

namespace Splicer.Governance.Entry;

/// <summary>What a <c>join</c> handshake gets: a credential for the new identity on the invite's door, or a refusal.</summary>
public sealed record JoinOutcome(
    Refusal? Refusal,
    string? Detail,
    long IdentityId,
    long DoorId,
    DateTimeOffset ExpiresAt,
    string BoxPublicKey,
    string Credential)
{
    public bool Succeeded => Refusal is null;

    public static JoinOutcome Refused(Refusal reason, string? detail = null) =>
        new(reason, detail ?? reason.Text, 0, 0, default, "", "");
}

/// <summary>
/// Redeems an invite for a device that proved it holds its key: enrolls it (atomically, through
/// <see cref="IInviteRedeemer"/>) and issues it a credential signed by the box key, valid until the
/// door closes or <see cref="AccessOptions.CredentialLifetime"/> runs out, whichever is first.
/// </summary>
public sealed class InviteEnrollment(
    IInviteRedeemer redeemer,
    BoxKeyRing boxKeys,
    ProofReplayGuard replays,
    IOptionsMonitor<AccessOptions> options,
    TimeProvider time)
{
    public async Task<JoinOutcome> JoinAsync(NativeJoinRequest request, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var now = time.GetUtcNow();
        if (!ProofOfPossession.IsWithinSkew(request.Time, now, settings.ClockSkew))
        {
            return JoinOutcome.Refused(Refusal.ClockSkew);
        }

        if (!Base64UrlText.TryDecode(request.InviteSecret, InviteCode.SecretLength, out var secret)
            || !Base64UrlText.TryDecode(request.DeviceKey, 32, out var deviceKey))
        {
            return JoinOutcome.Refused(Refusal.Malformed);
        }

        var message = ProofOfPossession.JoinMessage(secret, request.DeviceKey, request.Name, settings.EffectiveRelayName, request.Time);
        if (!ProofOfPossession.Verify(deviceKey, message, request.Proof))
        {
            return JoinOutcome.Refused(Refusal.BadSignature, $"the proof is not signed by the device key for relay '{settings.EffectiveRelayName}'");
        }

        if (!Base64UrlText.TryDecode(request.Proof, ProofOfPossession.SignatureLength, out var signature)
            || !replays.TryRemember(signature, request.Time, settings.ClockSkew))
        {
            return JoinOutcome.Refused(Refusal.Replayed);
        }

        var redemption = await redeemer.RedeemAsync(InviteCode.HashSecret(secret), request.Name, deviceKey, cancellationToken);
        return redemption.Refusal is { } refusal ? JoinOutcome.Refused(refusal) : Issue(redemption, deviceKey, now, settings);
    }

    private JoinOutcome Issue(InviteRedemption redemption, byte[] deviceKey, DateTimeOffset now, AccessOptions settings)
    {
        var door = redemption.Door!;
        var lifetimeEnd = now + settings.CredentialLifetime;
        var expiresAt = door.ExpiresAt < lifetimeEnd ? door.ExpiresAt : lifetimeEnd;
        var credential = Credential.Issue(boxKeys.Signer, redemption.Identity!.Id, door.Id, deviceKey, now, expiresAt);
        return new JoinOutcome(null, null, redemption.Identity.Id, door.Id, expiresAt, Base64UrlText.Encode(boxKeys.Current.Raw.Span), credential);
    }
}
