using System.Net;

namespace Splicer.Accounting;

/// <summary>
/// What is kept of a session or of a connection that never became one, once it has ended.
/// Side A is the connection that arrived first.
/// </summary>
public sealed record SessionRecord(
    long Id,
    string? TokenPrefix,
    string? SideA,
    string? SideB,
    IPEndPoint RemoteA,
    IPEndPoint? RemoteB,
    long BytesAToB,
    long BytesBToA,
    TimeSpan Wait,
    TimeSpan Duration,
    Outcome Outcome,
    string Detail)
{
    public bool WasPaired => RemoteB is not null;
}
