using System.Net;
using Splicer.Accept;
using Splicer.Endings;
using Splicer.Governance;

namespace Splicer.Handshake;

/// <summary>
/// Who may come in (the access stage, <c>Splicer.Governance.Entry</c>): asked once per handshake, before any
/// pairing. Declared here so the handshake knows only this; the access stage implements it.
/// </summary>
internal interface IAccessStage
{
    /// <summary>For wormhole's handshake, which carries no credential: in <c>Doors</c> mode, only from inside an open address door.</summary>
    ValueTask<Admission> AdmitAnonymousAsync(IPAddress remote, CancellationToken cancellationToken);

    /// <summary>For a native <c>relay</c> line: its credential and proof of possession, then its identity and door.</summary>
    ValueTask<Admission> AdmitAsync(NativeRelayRequest request, CancellationToken cancellationToken);

    /// <summary>For a native <c>join</c> line: how the connection ends, with the credential line or a refusal.</summary>
    Task<Ending> JoinAsync(NativeJoinRequest request, CancellationToken cancellationToken);
}

/// <summary>What the access stage decided for a handshake that would pair: let in (with its grant, if any) or refused.</summary>
/// <param name="Grant">Whom it serves and what its door allows; null in <c>Open</c> mode.</param>
/// <param name="Refusal">How the connection ends when it is not let in; null when it is.</param>
/// <param name="Answer">For a native line let in: the <c>ok expires=… bytes=… sessions=…</c> line.</param>
internal readonly record struct Admission(AccessGrant? Grant, Ending? Refusal, ReadOnlyMemory<byte> Answer = default)
{
    public static Admission Open { get; } = new(null, null);

    public bool IsAdmitted => Refusal is null;

    public static Admission Refused(Ending refusal) => new(null, refusal);
}
