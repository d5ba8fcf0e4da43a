using System.Net;
using Microsoft.Extensions.Options;
using Splicer.Access;
using Splicer.Endings;
using Splicer.Governance;
using Splicer.Handshake;

namespace Splicer.Governance.Entry;

/// <summary>
/// Decides whether a handshake may pair: checks what can be checked from the line alone (the proof's
/// time, the credential's signature and expiry, the proof's signature, replay), then looks the identity,
/// device and door up and leaves the verdict to <see cref="AccessRules"/>. Needs only the box public keys.
/// </summary>
public sealed class AccessChecker(
    IAccessDirectory directory,
    IBoxPublicKeys boxKeys,
    ProofReplayGuard replays,
    IQuotaMeter quotaMeter,
    IOptionsMonitor<AccessOptions> options,
    TimeProvider time)
{
    private readonly VerifiedCredentials _verified = new();

    /// <summary>For a wormhole handshake from <paramref name="remote"/>, which carries no credential.</summary>
    public async ValueTask<AccessDecision> CheckAnonymousAsync(IPAddress remote, CancellationToken cancellationToken)
    {
        var mode = options.CurrentValue.Mode;
        if (mode == AccessMode.Open)
        {
            return AccessDecision.Accept(AccessLimits.Unlimited);
        }

        var now = time.GetUtcNow();
        var doors = await directory.OpenAddressDoorsAsync(now, cancellationToken);
        return await WithQuotasAsync(AccessRules.DecideAnonymous(mode, remote, doors, now), cancellationToken);
    }

    /// <summary>For a native <c>relay</c> handshake: its credential and proof of possession, then the directory.</summary>
    public async ValueTask<AccessDecision> CheckRelayAsync(NativeRelayRequest request, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var now = time.GetUtcNow();
        if (!ProofOfPossession.IsWithinSkew(request.Time, now, settings.ClockSkew))
        {
            return AccessDecision.Refuse(Refusal.ClockSkew,
                $"proof time {request.Time} is {request.Time - now.ToUnixTimeSeconds():+#;-#;0} s from the relay's clock; at most {settings.ClockSkew.TotalSeconds:0} s allowed");
        }

        if (_verified.TryVerify(request.Credential, boxKeys.PublicKeys, now, out var credential) is { } refusal)
        {
            return AccessDecision.Refuse(refusal, refusal == Refusal.BadSignature ? "the credential is not signed by a key this relay trusts" : null);
        }

        var message = ProofOfPossession.RelayMessage(request, settings.EffectiveRelayName);
        if (!ProofOfPossession.Verify(credential!.DevicePublicKey.Span, message, request.Proof))
        {
            return AccessDecision.Refuse(Refusal.BadSignature,
                $"the proof is not signed by the credential's device for relay '{settings.EffectiveRelayName}'");
        }

        if (!Base64UrlText.TryDecode(request.Proof, ProofOfPossession.SignatureLength, out var signature)
            || !replays.TryRemember(signature, request.Time, settings.ClockSkew))
        {
            return AccessDecision.Refuse(Refusal.Replayed);
        }

        return await DecideAsync(credential, now, cancellationToken);
    }

    private async ValueTask<AccessDecision> DecideAsync(Credential credential, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var identity = await directory.FindIdentityAsync(credential.IdentityId, cancellationToken);
        var device = await directory.FindDeviceAsync(credential.DevicePublicKey, cancellationToken);
        var door = await directory.FindDoorAsync(credential.DoorId, cancellationToken);
        var isMember = identity is not null && await directory.IsMemberAsync(credential.DoorId, identity.Id, cancellationToken);
        return await WithQuotasAsync(AccessRules.DecideCredential(credential, identity, device, door, isMember, now), cancellationToken);
    }

    /// <summary>
    /// Refuses when a quota that applies is spent or has all its sessions running; else adds what the quotas
    /// still allow, for the answer. Costs nothing when no quota applies.
    /// </summary>
    private async ValueTask<AccessDecision> WithQuotasAsync(AccessDecision decision, CancellationToken cancellationToken)
    {
        if (decision.Limits is not { Quotas.Count: > 0 } limits)
        {
            return decision;
        }

        long? bytes = null, rate = null, sessions = null;
        foreach (var (subject, quota) in limits.Quotas)
        {
            var use = await quotaMeter.UseAsync(subject, cancellationToken);
            if (QuotaRules.Check(quota, use, sessionCounted: false) is { } refusal)
            {
                return AccessDecision.Refuse(refusal, refusal == Refusal.QuotaSpent
                    ? QuotaRules.Describe(subject, quota, QuotaRules.SpentPeriod(quota, use)!.Value)
                    : $"{subject} already runs its {quota.Sessions} sessions");
            }

            bytes = QuotaRules.Smaller(bytes, QuotaRules.BytesRemaining(quota, use));
            rate = QuotaRules.Smaller(rate, quota.BytesPerSecond);
            sessions = QuotaRules.Smaller(sessions, QuotaRules.SessionsRemaining(quota, use));
        }

        return AccessDecision.Accept(limits with { QuotaAllowance = new QuotaAllowance(bytes, rate, sessions) });
    }
}
