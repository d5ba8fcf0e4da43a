using Splicer.Endings;

namespace Splicer.Splice;

/// <summary>
/// What may enter, what a session may spend and when it must be cut: the one seam a session consults
/// on its way (implemented in <c>Splicer.Governance.Sessions</c>, where every rule of the kind lives).
/// The watchers that cut a running session do so from there, through <see cref="SpliceSession.End"/>.
/// </summary>
internal interface ISessionGovernance
{
    /// <summary>
    /// Before either side hears of its partner: null when the pair may start, else how it ends (a
    /// refusal with a line has been told to both sides).
    /// </summary>
    Task<Ending?> AdmitAsync(SpliceSession session, CancellationToken cancellationToken);

    /// <summary>Sets what caps the session's rate, before the copy starts.</summary>
    Task AttachAsync(SpliceSession session, CancellationToken cancellationToken);

    /// <summary>After the session's record: lets go of its caps and counts what it used; never throws, never waits.</summary>
    void Settle(SpliceSession session);
}
