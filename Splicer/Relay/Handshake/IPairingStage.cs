using Splicer.Accept;

namespace Splicer.Handshake;

/// <summary>The stage after a good handshake (the rendezvous); it owns the connection from then on.</summary>
internal interface IPairingStage
{
    Task JoinAsync(RelayConnection connection, PairingRequest request, CancellationToken stopping);
}
