using System.Net;
using Microsoft.Extensions.Options;
using Splicer.Accept;
using Splicer.Access;
using Splicer.Endings;
using Splicer.Governance;
using Splicer.Handshake;

namespace Splicer.Governance.Entry;

/// <summary>
/// The access stage as the handshake sees it: asks <see cref="AccessChecker"/> or <see cref="InviteEnrollment"/>,
/// and turns the decision into what travels on (a grant and the <c>ok …</c> line) or how the connection ends.
/// In <c>Open</c> mode a wormhole handshake passes without a look-up or an allocation.
/// </summary>
internal sealed class HandshakeAccess(
    AccessChecker checker,
    InviteEnrollment enrollment,
    IOptionsMonitor<AccessOptions> options,
    IOptions<QuotaOptions> quotas) : IAccessStage
{
    public ValueTask<Admission> AdmitAnonymousAsync(IPAddress remote, CancellationToken cancellationToken) =>
        options.CurrentValue.Mode == AccessMode.Open
            ? ValueTask.FromResult(Admission.Open)
            : CheckAnonymousAsync(remote, cancellationToken);

    public async ValueTask<Admission> AdmitAsync(NativeRelayRequest request, CancellationToken cancellationToken)
    {
        var decision = await checker.CheckRelayAsync(request, cancellationToken);
        if (!decision.IsAccepted)
        {
            return Refused(decision);
        }

        var limits = decision.Limits!;
        var allowance = limits.QuotaAllowance;
        var answer = NativeAnswers.Accepted(
            limits.ExpiresAt,
            QuotaRules.Smaller(limits.BytesRemaining, allowance?.BytesRemaining),
            limits.SessionsRemaining,
            allowance?.BytesPerSecond,
            allowance?.SessionsRemaining,
            quotas.Value.WhenSpent == QuotaAction.Throttle);
        return new Admission(Grant(limits), null, answer);
    }

    public async Task<Ending> JoinAsync(NativeJoinRequest request, CancellationToken cancellationToken)
    {
        var joined = await enrollment.JoinAsync(request, cancellationToken);
        if (joined.Refusal is { } refusal)
        {
            return Ends.Denied(refusal, joined.Detail ?? refusal.Text);
        }

        var line = NativeAnswers.Joined(joined.IdentityId, joined.DoorId, joined.ExpiresAt, joined.BoxPublicKey, joined.Credential);
        return Ends.Joined(line, $"identity {joined.IdentityId} joined door {joined.DoorId} as '{request.Name}'");
    }

    private async ValueTask<Admission> CheckAnonymousAsync(IPAddress remote, CancellationToken cancellationToken)
    {
        var decision = await checker.CheckAnonymousAsync(remote, cancellationToken);
        return decision.IsAccepted ? new Admission(Grant(decision.Limits!), null) : Refused(decision);
    }

    private static Admission Refused(AccessDecision decision) => Admission.Refused(Ends.Denied(decision.Reason!, decision.Detail!));

    private static AccessGrant? Grant(AccessLimits limits) => limits.DoorId is { } doorId
        ? new AccessGrant(doorId, limits.IdentityId, limits.ExpiresAt!.Value, limits.CredentialExpiresFirst, limits.BytesRemaining, limits.SessionsRemaining is not null)
        {
            DeviceId = limits.DeviceId,
            Quotas = limits.Quotas,
        }
        : null;
}
