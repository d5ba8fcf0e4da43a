using Splicer.Accept;
using Splicer.Admin;
using Splicer.Admin.Hosting;
using Splicer.Splice;

namespace Splicer.Administration;

/// <summary>The engine's side of <see cref="IRelayStatus"/>: what <c>/readyz</c> reports.</summary>
internal sealed class RelayStatus(SpliceListener listener, ConnectionGate gate, SessionRegistry sessions) : IRelayStatus
{
    public bool IsListening => listener.IsListening;

    public bool IsDraining => sessions.IsDraining;

    public string? WhyFull => gate.WhyFull;
}
