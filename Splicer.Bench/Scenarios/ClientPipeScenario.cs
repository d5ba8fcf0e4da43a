using System.Buffers;
using System.Diagnostics;
using System.Security.Cryptography;
using Splicer.Bench.Load;
using Splicer.Bench.Reporting;
using Splicer.Bench.Targets;

namespace Splicer.Bench.Scenarios;

/// <summary>
/// The client's cost: bulk bytes one way through two <c>splicer pipe</c> processes and the relay, end-to-end
/// encrypted and with <c>--no-encryption</c>, taking turns. Timed from the first byte out of the receiving pipe
/// to its EOF, so start-up and pairing are not in the figure.
/// </summary>
internal sealed class ClientPipeScenario : IScenario
{
    private const int Chunk = 256 * 1024;

    public string Name => "client-pipe";

    public string Summary(BenchSettings settings) =>
        $"{Format.Bytes(settings.ThroughputBytes)} one way through 'splicer pipe' on both sides, encrypted and --no-encryption; MB/s (10^6 bytes)";

    public bool AppliesTo(BenchTarget target) => target is SplicerTarget { Key: "splicer", IsSplicer: true };

    public TimeSpan Timeout(BenchSettings settings) => TimeSpan.FromSeconds(120 + 6 * settings.ThroughputBytes / 20e6);

    public async Task RunAsync(ScenarioRun run, CancellationToken cancellationToken)
    {
        var dll = ((SplicerTarget)run.Target).Dll;
        var relay = $"tcp://127.0.0.1:{run.Running.EndPoint!.Port}";
        await MoveAsync(dll, relay, encrypted: true, Math.Min(run.Settings.ThroughputBytes, 64L << 20), cancellationToken);
        var plain = new List<double>();
        var sealedRates = new List<double>();
        for (var turn = 0; turn < 3; turn++)
        {
            plain.Add(await MoveAsync(dll, relay, encrypted: false, run.Settings.ThroughputBytes, cancellationToken));
            sealedRates.Add(await MoveAsync(dll, relay, encrypted: true, run.Settings.ThroughputBytes, cancellationToken));
        }

        var (plainRate, sealedRate) = (Median(plain), Median(sealedRates));
        run.Record("encrypted", "MB/s", Better.Higher, sealedRate);
        run.Record("no-encryption", "MB/s", Better.Higher, plainRate);
        run.Record("encrypted/plain", "%", Better.Higher, 100 * sealedRate / plainRate, ratio: false);
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static async Task<double> MoveAsync(string dll, string relay, bool encrypted, long bytes, CancellationToken cancellationToken)
    {
        var code = await RunToTextAsync(dll, ["code"], cancellationToken);
        string[] options = encrypted ? ["--relay", relay] : ["--relay", relay, "--no-encryption"];
        using var sender = Start(dll, ["pipe", code, .. options]);
        using var receiver = Start(dll, ["pipe", code, .. options]);
        receiver.StandardInput.Close();
        try
        {
            var sending = FeedAsync(sender.StandardInput.BaseStream, bytes, cancellationToken);
            var draining = sender.StandardOutput.BaseStream.CopyToAsync(Stream.Null, cancellationToken);
            var seconds = await DrainTimedAsync(receiver.StandardOutput.BaseStream, cancellationToken);
            await Task.WhenAll(sending, draining);
            await Task.WhenAll(sender.WaitForExitAsync(cancellationToken), receiver.WaitForExitAsync(cancellationToken));
            return seconds.Bytes / seconds.Seconds / 1e6;
        }
        finally
        {
            sender.Kill(entireProcessTree: true);
            receiver.Kill(entireProcessTree: true);
        }
    }

    private static async Task FeedAsync(Stream input, long bytes, CancellationToken cancellationToken)
    {
        var block = RandomNumberGenerator.GetBytes(Chunk);
        for (long sent = 0; sent < bytes; sent += Chunk)
        {
            await input.WriteAsync(block.AsMemory(0, (int)Math.Min(Chunk, bytes - sent)), cancellationToken);
        }

        input.Close();
    }

    /// <summary>Reads to EOF; the clock starts at the first byte (which is not counted).</summary>
    private static async Task<(long Bytes, double Seconds)> DrainTimedAsync(Stream output, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Chunk);
        try
        {
            var first = await output.ReadAsync(buffer.AsMemory(0, Chunk), cancellationToken);
            var started = Stopwatch.GetTimestamp();
            long total = 0;
            int read;
            while ((read = await output.ReadAsync(buffer.AsMemory(0, Chunk), cancellationToken)) > 0)
            {
                total += read;
            }

            return first == 0 ? (0, 1) : (total, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static Process Start(string dll, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info)!;
    }

    private static async Task<string> RunToTextAsync(string dll, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        using var process = Start(dll, arguments);
        process.StandardInput.Close();
        var text = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return text.Trim();
    }
}
