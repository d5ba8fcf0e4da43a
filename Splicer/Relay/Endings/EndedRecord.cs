using System.Net;

namespace Splicer.Endings;

/// <summary>What is kept of a connection or a session once it has ended; recorded exactly once.</summary>
public abstract record EndedRecord(long Id, string? TokenPrefix, Ending Ending)
{
    public Outcome Outcome => Ending.Outcome;

    public string Detail => Ending.Detail;

    public abstract bool WasPaired { get; }
}

/// <summary>A connection that never became a session: refused, not a client, never paired, or an invite redeemed.</summary>
/// <param name="DoorId">The door it came through, once the access check let it in; else null.</param>
/// <param name="IdentityId">Who it was, once its credential was accepted; else null.</param>
public sealed record ConnectionRecord(
    long Id,
    string? TokenPrefix,
    string? Side,
    IPEndPoint Remote,
    TimeSpan Age,
    Ending Ending,
    long? DoorId = null,
    long? IdentityId = null)
    : EndedRecord(Id, TokenPrefix, Ending)
{
    public override bool WasPaired => false;
}

/// <summary>
/// A paired session. Side A is the connection that arrived first; each side's door and identity are null
/// where it had none; each side's transport is <c>tcp</c>, <c>tls</c>, <c>ws</c> or <c>wss</c>.
/// </summary>
public sealed record SessionRecord(
    long Id,
    string TokenPrefix,
    string? SideA,
    string? SideB,
    IPEndPoint RemoteA,
    IPEndPoint RemoteB,
    long BytesAToB,
    long BytesBToA,
    TimeSpan Wait,
    TimeSpan Duration,
    Ending Ending,
    long? DoorA = null,
    long? IdentityA = null,
    long? DoorB = null,
    long? IdentityB = null,
    string TransportA = "tcp",
    string TransportB = "tcp") : EndedRecord(Id, TokenPrefix, Ending)
{
    public override bool WasPaired => true;

    /// <summary>The device of side A's identity, for its last-use time; null when anonymous.</summary>
    public long? DeviceA { get; init; }

    public long? DeviceB { get; init; }
}

/// <summary>Where an ended connection or session is recorded; the accounting stage implements it.</summary>
public interface IEndingRecorder
{
    void Record(EndedRecord record);
}
