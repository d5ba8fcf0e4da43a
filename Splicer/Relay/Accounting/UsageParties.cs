using System.Net;
using Splicer.Endings;
using Splicer.Splice;
using Splicer.State;

namespace Splicer.Accounting;

/// <summary>
/// Who each side of a session is, as usage counts it: its door and identity when the access check
/// named them (an anonymous client through an address door keeps its address too), else its
/// address alone. The one place that reads them.
/// </summary>
internal static class UsageParties
{
    /// <summary>The door kind label of metrics (bounded: never an identity or a token).</summary>
    public const string NoDoor = "none";

    public static (UsageSide A, UsageSide B) Of(SessionRecord record) =>
        (Side(record.DoorA, record.IdentityA, record.RemoteA) with { DeviceId = record.DeviceA },
         Side(record.DoorB, record.IdentityB, record.RemoteB) with { DeviceId = record.DeviceB });

    public static (UsageSide A, UsageSide B) Of(SpliceSession session) =>
        (Side(session.A.Grant?.DoorId, session.A.Grant?.IdentityId, session.A.Remote) with { DeviceId = session.A.Grant?.DeviceId },
         Side(session.B.Grant?.DoorId, session.B.Grant?.IdentityId, session.B.Remote) with { DeviceId = session.B.Grant?.DeviceId });

    /// <summary>The kind of door the session came through, for metrics: <c>none</c>, <c>address</c> or <c>invite</c>.</summary>
    public static string DoorKind(SessionRecord record) =>
        record.IdentityA is not null || record.IdentityB is not null ? "invite"
        : record.DoorA is not null || record.DoorB is not null ? "address"
        : NoDoor;

    private static UsageSide Side(long? doorId, long? identityId, IPEndPoint remote) =>
        doorId is null
            ? UsageSide.Anonymous(Address(remote))
            : new UsageSide(doorId, identityId, identityId is null ? Address(remote) : null);

    private static string Address(IPEndPoint remote) =>
        (remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address).ToString();
}
