using System.Text;
using Splicer.Access;
using Splicer.Governance.Entry;

namespace Splicer.Bench.Load;

/// <summary>
/// Pairs two clients with Splicer's native handshake: each sends <c>splicer 1 relay TOKEN SIDE CREDENTIAL
/// TIME PROOF</c> as an enrolled device (a fresh proof per line, so none is a replay), and reads
/// <c>ok expires=… bytes=… sessions=…</c> then <c>paired</c>. Signing costs the generator, not the relay.
/// </summary>
internal sealed class NativePairOpener(Dialer relay, NativeBenchState state) : RendezvousPairOpener(relay)
{
    private readonly byte[] _ok = Encoding.ASCII.GetBytes(state.OkLine + "paired\n");

    protected override int MaxHandshakeLength => 512;

    protected override byte[] Ok => _ok;

    protected override int WriteHandshake(byte[] destination, long pairNumber, string side)
    {
        var member = side == "a" ? state.A : state.B;
        var token = Token(pairNumber);
        var sideText = Side(pairNumber, side);
        var time = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var proof = ProofOfPossession.Sign(member.Device, ProofOfPossession.RelayMessage(token, sideText, member.Credential, state.RelayName, time));
        return Encoding.ASCII.GetBytes($"splicer 1 relay {token} {sideText} {member.Credential} {time} {proof}\n", destination);
    }
}
