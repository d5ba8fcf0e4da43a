using Splicer.Admin.Hosting;

namespace Splicer.Admin;

/// <summary>What the admin may see and do of the relay's sessions; the engine implements it.</summary>
public interface IRelayMonitor
{
    /// <summary>A snapshot of the sessions being spliced now.</summary>
    IReadOnlyList<ActiveSession> ActiveSessions();

    /// <summary>The most recently ended sessions, newest first.</summary>
    IReadOnlyList<EndedSession> RecentSessions();

    /// <summary>Counters since start and current levels.</summary>
    RelayTotals Totals();

    /// <summary>Ends a running session (both sides reset, outcome <c>killed</c>); false if it is not running.</summary>
    bool TryEndSession(long id);
}

/// <summary>
/// A session being spliced. A is the side that arrived first. The token is a secret: only its
/// first 8 characters are ever shown. The rates are the sampler's, over its last interval (zero in
/// a bare snapshot).
/// </summary>
public sealed record ActiveSession(
    long Id,
    string TokenPrefix,
    string RemoteA,
    string RemoteB,
    double AgeSeconds,
    long BytesAToB,
    long BytesBToA,
    double BytesPerSecondAToB = 0,
    double BytesPerSecondBToA = 0);

public sealed record EndedSession(
    long Id,
    string TokenPrefix,
    string RemoteA,
    string RemoteB,
    DateTimeOffset EndedAt,
    double DurationSeconds,
    long BytesAToB,
    long BytesBToA,
    string Outcome,
    string Detail);

/// <summary>
/// Counters since start (monotonic) and levels now. <c>DirectPaths</c> and <c>RelayedPaths</c> are the sides of
/// brokered pairs that reported a direct path, or staying on the relay.
/// </summary>
public sealed record RelayTotals(
    long ConnectionsAccepted,
    long SessionsStarted,
    int ActiveSessions,
    int WaitingTokens,
    int WaitingConnections,
    long BytesAToB,
    long BytesBToA,
    long DirectPaths = 0,
    long RelayedPaths = 0);
