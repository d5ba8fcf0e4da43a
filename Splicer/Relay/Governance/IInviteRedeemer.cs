using Splicer.Endings;
using Splicer.Governance.Entry;

namespace Splicer.Governance;

/// <summary>What redeeming an invite did: enrolled a new identity with its first device on the door, or refused.</summary>
public sealed record InviteRedemption(Refusal? Refusal, IdentityRecord? Identity, DeviceRecord? Device, DoorRecord? Door)
{
    public bool Succeeded => Refusal is null;

    public static InviteRedemption Refused(Refusal reason) => new(reason, null, null, null);
}

/// <summary>
/// Redeems an invite atomically (checks, counts the use, enrolls the identity and device on the door).
/// Declared here, implemented by the state store (<c>Splicer.State.InviteStore</c>).
/// </summary>
public interface IInviteRedeemer
{
    Task<InviteRedemption> RedeemAsync(ReadOnlyMemory<byte> secretHash, string name, ReadOnlyMemory<byte> devicePublicKey, CancellationToken cancellationToken);
}
