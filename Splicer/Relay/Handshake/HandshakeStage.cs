using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Splicer.Accept;
using Splicer.Endings;
using Splicer.Options;

namespace Splicer.Handshake;

/// <summary>
/// Reads the handshake within the handshake timeout, ends anything that is not one, asks the access
/// stage whether it may come in, and hands what may on to the rendezvous. A native <c>relay</c> line
/// is answered <c>ok …</c> before pairing; a <c>join</c> line ends here with its answer.
/// </summary>
internal sealed class HandshakeStage(
    IOptions<SplicerOptions> options, IAccessStage access, IPairingStage next, StageCounters counters, DeadlineSweeper deadlines, IPunchReports punchReports)
    : IConnectionStage
{
    private readonly TimeSpan _timeout = options.Value.HandshakeTimeout;

    public async Task RunAsync(RelayConnection connection, CancellationToken stopping)
    {
        var (result, ending) = await ReadAsync(connection, stopping);
        if (ending is not null)
        {
            await connection.EndAsync(ending);
            return;
        }

        switch (result.NativeRequest)
        {
            case NativeRelayRequest relay:
                await PairNativeAsync(connection, relay, stopping);
                break;
            case NativeJoinRequest join:
                await connection.EndAsync(await access.JoinAsync(join, stopping));
                break;
            case PunchReport report:
                punchReports.Record(report);
                await connection.EndAsync(Ends.Reported);
                break;
            default:
                await PairAnonymousAsync(connection, result.Request!, stopping);
                break;
        }
    }

    private async Task PairAnonymousAsync(RelayConnection connection, PairingRequest request, CancellationToken stopping)
    {
        connection.Identify(request.TokenPrefix, request.Side);
        var admission = await access.AdmitAnonymousAsync(connection.Remote.Address, stopping);
        await PairIfAdmittedAsync(connection, request, admission, isNative: false, stopping);
    }

    private async Task PairNativeAsync(RelayConnection connection, NativeRelayRequest request, CancellationToken stopping)
    {
        var pairing = request.Pairing;
        connection.Identify(pairing.TokenPrefix, pairing.Side);
        var admission = await access.AdmitAsync(request, stopping);
        if (admission.IsAdmitted)
        {
            // A client gone before its answer is found by the rendezvous, which records it.
            await connection.TrySendLineAsync(admission.Answer, stopping);
        }

        await PairIfAdmittedAsync(connection, pairing, admission, isNative: true, stopping, request.Punch?.Candidates);
    }

    private async Task PairIfAdmittedAsync(
        RelayConnection connection, PairingRequest request, Admission admission, bool isNative, CancellationToken stopping, IReadOnlyList<IPEndPoint>? punchCandidates = null)
    {
        if (admission.Refusal is { } refusal)
        {
            await connection.EndAsync(refusal);
            return;
        }

        connection.Admit(admission.Grant, isNative, punchCandidates);
        counters.Count(Verdict.Ok);
        await next.JoinAsync(connection, request, stopping);
    }

    /// <summary>
    /// Reads the handshake under the sweeper's deadline (which also ends it when the relay stops): an
    /// expired connection's receive wakes with an end of stream, and its expiry decides the ending.
    /// </summary>
    private async Task<(HandshakeResult Result, Ending? Ending)> ReadAsync(RelayConnection connection, CancellationToken stopping)
    {
        deadlines.WatchHandshake(connection);
        var (result, ending) = await ReadWithinDeadlineAsync(connection, stopping);
        if (!deadlines.TryRelease(connection) && connection.ExpiredBy != Expiry.None)
        {
            return (default, connection.ExpiredBy == Expiry.Stopping ? Ends.StoppingDuringHandshake : Ends.HandshakeTimedOut(_timeout));
        }

        return (result, ending);
    }

    private static async Task<(HandshakeResult Result, Ending? Ending)> ReadWithinDeadlineAsync(RelayConnection connection, CancellationToken stopping)
    {
        try
        {
            var result = await HandshakeReader.ReadAsync(connection, CancellationToken.None);
            return (result, result.Status switch
            {
                HandshakeStatus.Invalid when result.WrongField is { } field => NativeRefusal(field, result.ValidBytes),
                HandshakeStatus.Invalid => Ends.BadHandshake(result.ValidBytes),
                HandshakeStatus.Closed => Ends.ClosedDuringHandshake(result.ValidBytes),
                _ => null,
            });
        }
        catch (SocketException ex)
        {
            return (default, Ends.FailedDuringHandshake(ex.SocketErrorCode.ToString()));
        }
        catch (IOException ex) when (connection.Transport is not null)
        {
            // The transport's own rules broken (a WebSocket text message, a bad frame) or its connection lost.
            return (default, Ends.TransportFailed(ex.Message));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // A transport that watches the stopping token itself.
            return (default, Ends.StoppingDuringHandshake);
        }
    }

    private static Ending NativeRefusal(NativeField field, int offset) => field == NativeField.Version
        ? Ends.Denied(Refusal.UnsupportedVersion, $"this relay speaks native handshake version 1 (byte {offset})")
        : Ends.Denied(Refusal.Malformed, $"the {FieldName(field)} cannot be read (byte {offset})");

    private static string FieldName(NativeField field) => field switch
    {
        NativeField.InviteSecret => "invite secret",
        NativeField.DeviceKey => "device key",
        NativeField.Punch => "punch field's endpoints",
        NativeField.PunchOutcome => "outcome (direct or relayed)",
        _ => field.ToString().ToLowerInvariant(),
    };
}
