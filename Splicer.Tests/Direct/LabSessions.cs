using System.Security.Cryptography;
using System.Text.Json;
using Splicer.Client.Framing;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Direct;

/// <summary>
/// Sessions of the built client between the lab's two hosts, shared by the IPv4 and IPv6 lab tests: a
/// <c>punch-probe</c> pair and a 64 MiB <c>pipe</c>. <c>options</c> go to both sides (<c>--relay</c>, say).
/// </summary>
internal static class LabSessions
{
    public const int PayloadLength = 64 << 20;

    public static async Task<(ProbeReport A, ProbeReport B)> ProbeAsync(this NatLab lab, int lateB = 0, params string[] options)
    {
        var code = PairingCode.Create().Text();
        await using var a = lab.Client(lab.A, ["punch-probe", code, .. options]);
        await using var b = lab.Client(lab.B, ["punch-probe", code, "--punch-delay", lateB.ToString(), .. options]);
        return (await ReportAsync(a), await ReportAsync(b));
    }

    /// <summary>
    /// 64 MiB from host A's <c>pipe</c> to host B's, the first 8 MiB before <paramref name="midway"/> completes and the rest
    /// after; checks the hash and both exits, and returns both stderrs.
    /// </summary>
    public static async Task<(string SenderError, string ReceiverError)> PipeAsync(
        this NatLab lab, Func<ClientProcess, Task> midway, string[] options, params string[] receiverOptions)
    {
        var payload = RandomNumberGenerator.GetBytes(PayloadLength);
        var code = PairingCode.Create().Text();
        await using var sender = lab.Pipe(lab.A, ["pipe", code, .. options]);
        await using var receiver = lab.Pipe(lab.B, ["pipe", code, .. options, .. receiverOptions]);
        receiver.Input.Close();
        var received = HashAsync(receiver.Output);

        await sender.Input.WriteAsync(payload.AsMemory(0, 8 << 20));
        await midway(sender);
        await sender.Input.WriteAsync(payload.AsMemory(8 << 20));
        sender.Input.Close();

        Assert.Equal(SHA256.HashData(payload), await received);
        Assert.Equal((0, 0), (await sender.WaitForExitAsync(), await receiver.WaitForExitAsync()));
        return (sender.Error, receiver.Error);
    }

    /// <summary>The sender's wait for the switch: its stderr's <c>path: direct to …</c> line.</summary>
    public static Task UntilDirect(ClientProcess sender) =>
        sender.WaitForErrorLineAsync(line => line.StartsWith("path: direct", StringComparison.Ordinal));

    /// <summary>From the receiver's <c>path summary: sent … ; received R relayed and D direct</c>.</summary>
    public static (long Relayed, long Direct) ReceivedByPath(string receiverError)
    {
        var summary = receiverError.Split('\n').Single(line => line.StartsWith("path summary:", StringComparison.Ordinal));
        var words = summary[summary.IndexOf("received", StringComparison.Ordinal)..].Split(' ');
        return (long.Parse(words[1]), long.Parse(words[4]));
    }

    private static async Task<byte[]> HashAsync(Stream output)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        int read;
        while ((read = await output.ReadAsync(buffer).AsTask().WithPatience()) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        return hash.GetHashAndReset();
    }

    private static async Task<ProbeReport> ReportAsync(ExternalProcess probe)
    {
        var line = await probe.WaitForLineAsync(text => text.StartsWith("{\"path\"", StringComparison.Ordinal));
        Assert.Equal(0, await probe.WaitForExitAsync());
        return JsonSerializer.Deserialize<ProbeReport>(line, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }
}

/// <summary>One side's <c>punch-probe</c> line: the path it ended on, why, and the times from its start (ms).</summary>
internal sealed record ProbeReport(string Path, string Detail, double PairedMs, double FirstByteMs, double? DirectMs);
