using System.Net;
using Splicer.Endings;
using Splicer.Splice;
using Splicer.State;

namespace Splicer.Accounting;

/// <summary>
/// Who each side of a session is, as usage counts it: its door and identity once the access check
/// names them, else (anonymous) its address. The one place that reads them, so that wiring doors and
/// identities into the engine changes this file only: today every side is anonymous.
/// </summary>
internal static class UsageParties
{
    /// <summary>The door kind label of metrics (bounded: never an identity or a token).</summary>
    public const string NoDoor = "none";

    public static (UsageSide A, UsageSide B) Of(SessionRecord record) =>
        (Anonymous(record.RemoteA), Anonymous(record.RemoteB));

    public static (UsageSide A, UsageSide B) Of(SpliceSession session) =>
        (Anonymous(session.A.Remote), Anonymous(session.B.Remote));

    /// <summary>The kind of door the session came through, for metrics: <c>none</c>, <c>address</c> or <c>invite</c>.</summary>
    public static string DoorKind(SessionRecord record) => NoDoor;

    private static UsageSide Anonymous(IPEndPoint remote) =>
        UsageSide.Anonymous((remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address).ToString());
}
