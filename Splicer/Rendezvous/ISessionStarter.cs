using Splicer.Accept;

namespace Splicer.Rendezvous;

/// <summary>Where a matched pair goes (the splice stage); it owns both connections from then on.</summary>
internal interface ISessionStarter
{
    /// <param name="waiter">The connection that waited (side A).</param>
    /// <param name="arrival">The connection that matched it (side B).</param>
    void Start(RelayConnection waiter, RelayConnection arrival);
}
