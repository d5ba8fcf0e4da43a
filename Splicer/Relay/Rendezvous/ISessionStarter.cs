using Splicer.Accept;

namespace Splicer.Rendezvous;

/// <summary>Where a matched pair goes (the splice stage); it owns both connections from then on.</summary>
internal interface ISessionStarter
{
    /// <param name="waiter">The connection that waited (side A).</param>
    /// <param name="arrival">The connection that matched it (side B).</param>
    /// <param name="waiterReadiness">
    /// The waiter's pending watch of its socket, if it is still pending: it completes when the waiter's
    /// socket wakes, and is the session's first wait on that side instead of a second receive.
    /// </param>
    void Start(RelayConnection waiter, RelayConnection arrival, Task? waiterReadiness = null);
}
