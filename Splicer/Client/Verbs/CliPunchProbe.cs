using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Splicer.Client.Framing;
using Splicer.Client.Links;
using Splicer.Client.Paths;
using Splicer.Client.Paths.DirectLeg;
using Splicer.Client.Paths.RelayLeg;

namespace Splicer.Client.Verbs;

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
            await using var mapping = pairing.Mapping;
            var pairedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

            // The end-to-end hello, for the keys that prove the direct connection; the stream itself stays unused.
            var secured = await PeerLink.SecureAsync(pairing.Relay, keys, Purpose, cancellationToken);
            await using var session = secured.Stream;
            var times = new ProbeTimes(pairedMs, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (pairing.Advice is not { } advice)
            {
                return Report("relayed", "the partner did not ask for a direct path", times, null);
            }

            var result = await DirectPath.EstablishAsync(
                pairing.Local, advice, secured.Paths.Proof, relay.Punch, cancellationToken);
            if (result.Socket is not { } direct)
            {
                return Report("relayed", result.Detail, times, null);
            }

            using (var link = new TcpLink(direct))
            {
                await link.SendAsync("direct!\n"u8.ToArray(), cancellationToken);
                var line = new byte[8];
                return await link.ReceiveFullAsync(line, cancellationToken) == line.Length
                    ? Report("direct", result.Detail, times, Stopwatch.GetElapsedTime(started).TotalMilliseconds)
                    : Report("relayed", "the direct connection closed before the peer's line", times, null);
            }
        });
        return probe;
    }

    private sealed record ProbeTimes(double PairedMs, double FirstByteMs);

    private static int Report(string path, string detail, ProbeTimes times, double? directMs)
    {
        var report = new PunchProbeReport(path, detail, Math.Round(times.PairedMs), Math.Round(times.FirstByteMs), directMs is { } ms ? Math.Round(ms) : null);
        Console.WriteLine(JsonSerializer.Serialize(report, PunchProbeJson.Default.PunchProbeReport));
        return CliExit.Ok;
    }
}
