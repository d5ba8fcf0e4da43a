using System.CommandLine;
using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Splicer.Client;
using Splicer.Client.Direct;

namespace Splicer.Cli;

/// <summary>
/// <c>splicer punch-probe CODE</c> (hidden, for the NAT lab and its success-rate script): pairs through a joined relay
/// asking for a direct path, tries it once, exchanges a line over it, and prints one JSON line on stdout:
/// <c>{"path":"direct"|"relayed","detail":…,"pairedMs":…,"firstByteMs":…,"directMs":…}</c>.
/// </summary>
internal static class CliPunchProbe
{
    private const string Purpose = "punch-probe";

    public static Command Probe()
    {
        var options = new ClientOptions();
        var code = ClientOptions.CodeArgument("The code both sides were given");
        var probe = new Command("punch-probe", "Tries one brokered direct path and reports it as JSON (for the NAT lab).") { code };
        probe.Hidden = true;
        options.AddTo(probe);
        probe.SetAction(async (parse, cancellationToken) =>
        {
            var started = Stopwatch.GetTimestamp();
            using var relay = options.Target(parse);
            var keys = new CodeKeys(PairingCode.Parse(parse.GetValue(code)!));
            var pairing = await RelayConnector.PairForDirectAsync(relay, keys.Token(Purpose), RelayConnector.NewSide(), [], cancellationToken);
            using var relayLink = pairing.Relay;
            await using var mapping = pairing.Mapping;
            var pairedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var proof = await SessionProofAsync(relayLink, keys, cancellationToken);
            var times = new ProbeTimes(pairedMs, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (pairing.Advice is not { } advice)
            {
                return Report("relayed", "the partner did not ask for a direct path", times, null);
            }

            var result = await DirectPath.EstablishAsync(
                pairing.Local, advice, proof, relay.Punch, cancellationToken);
            if (result.Socket is not { } direct)
            {
                return Report("relayed", result.Detail, times, null);
            }

            using (direct)
            {
                await direct.SendAsync("direct!\n"u8.ToArray(), SocketFlags.None, cancellationToken);
                var line = new byte[8];
                var read = 0;
                while (read < line.Length && await direct.ReceiveAsync(line.AsMemory(read), SocketFlags.None, cancellationToken) is var got and > 0)
                {
                    read += got;
                }

                return read == line.Length
                    ? Report("direct", result.Detail, times, Stopwatch.GetElapsedTime(started).TotalMilliseconds)
                    : Report("relayed", "the direct connection closed before the peer's line", times, null);
            }
        });
        return probe;
    }

    /// <summary>Hellos over the relay, as the end-to-end protection's, and the proof keyed by the session's two direction keys.</summary>
    private static async Task<DirectProof> SessionProofAsync(Splicer.Client.Links.RelayLink relay, CodeKeys keys, CancellationToken cancellationToken)
    {
        var mine = RandomNumberGenerator.GetBytes(32);
        await relay.SendAsync(mine, cancellationToken);
        var theirs = new byte[32];
        if (await relay.ReceiveFullAsync(theirs, cancellationToken) < theirs.Length)
        {
            throw new ClientFailure("the peer left before its hello");
        }

        return new DirectProof(keys.SessionKey(Purpose, mine, theirs, mine), keys.SessionKey(Purpose, mine, theirs, theirs));
    }

    private sealed record ProbeTimes(double PairedMs, double FirstByteMs);

    private static int Report(string path, string detail, ProbeTimes times, double? directMs)
    {
        var report = new PunchProbeReport(path, detail, Math.Round(times.PairedMs), Math.Round(times.FirstByteMs), directMs is { } ms ? Math.Round(ms) : null);
        Console.WriteLine(JsonSerializer.Serialize(report, ClientJson.Default.PunchProbeReport));
        return CliExit.Ok;
    }
}
