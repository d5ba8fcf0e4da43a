using System.Buffers;
using System.Diagnostics;
using Splicer.Bench.Load;
using Splicer.Bench.Reporting;

namespace Splicer.Bench.Scenarios;

/// <summary>Bulk bytes one way through N pairs at once; the figure is the aggregate rate.</summary>
internal sealed class ThroughputScenario : IScenario
{
    private const long WarmUpChunk = 64L << 20;

    /// <summary>
    /// Long enough for a JIT-compiled relay to finish tiering up its copy loop (about a second),
    /// which otherwise lands in the first measured stream and costs a short run several times the CPU.
    /// </summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1.5);

    public string Name => "throughput";

    public string Summary(BenchSettings settings) =>
        $"{Format.Bytes(settings.ThroughputBytes)} one way, split over N = {string.Join(", ", settings.Streams)} parallel streams; aggregate MB/s (10^6 bytes)";

    public TimeSpan Timeout(BenchSettings settings) =>
        TimeSpan.FromSeconds(60 + settings.Streams.Count * settings.ThroughputBytes / 20e6);

    public async Task RunAsync(ScenarioRun run, CancellationToken cancellationToken)
    {
        var warmUpStart = Stopwatch.GetTimestamp();
        do
        {
            await MoveAsync(run, 1, Math.Min(WarmUpChunk, run.Settings.ThroughputBytes), measure: false, cancellationToken);
        }
        while (Stopwatch.GetElapsedTime(warmUpStart) < WarmUp);

        long moved = 0;
        foreach (var streams in run.Settings.Streams)
        {
            var seconds = await MoveAsync(run, streams, run.Settings.ThroughputBytes, measure: true, cancellationToken);
            var bytes = run.Settings.ThroughputBytes / streams * streams;
            moved += bytes;
            run.Record($"N={streams}", "MB/s", Better.Higher, bytes / seconds / 1e6);
        }

        if (run.Cpu.RelayCpuSeconds is { } relaySeconds)
        {
            run.Record("relay CPU per GiB", "CPU ms", Better.Lower, relaySeconds * 1e3 / (moved / (double)(1L << 30)));
        }
    }

    private static async Task<double> MoveAsync(ScenarioRun run, int streams, long totalBytes, bool measure, CancellationToken cancellationToken)
    {
        var pairs = await OpenAsync(run, streams, cancellationToken);
        try
        {
            var perStream = totalBytes / streams;
            var transfers = new Task[streams * 2];
            if (measure)
            {
                run.Cpu.Start();
            }

            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < streams; i++)
            {
                transfers[2 * i] = SendAsync(pairs[i].Near, perStream, run.Settings.BufferBytes, cancellationToken);
                transfers[2 * i + 1] = ReceiveAsync(pairs[i].Far, perStream, run.Settings.BufferBytes, cancellationToken);
            }

            await Task.WhenAll(transfers);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (measure)
            {
                run.Cpu.Stop();
            }

            return elapsed;
        }
        finally
        {
            foreach (var pair in pairs)
            {
                pair.Dispose();
            }
        }
    }

    private static async Task<JoinedPair[]> OpenAsync(ScenarioRun run, int count, CancellationToken cancellationToken)
    {
        var opening = new Task<JoinedPair>[count];
        for (var i = 0; i < count; i++)
        {
            opening[i] = run.Running.Pairs.OpenAsync(cancellationToken).AsTask();
        }

        try
        {
            return await Task.WhenAll(opening);
        }
        catch
        {
            foreach (var task in opening.Where(task => task.IsCompletedSuccessfully))
            {
                task.Result.Dispose();
            }

            throw;
        }
    }

    private static Task SendAsync(PairEnd end, long bytes, int bufferBytes, CancellationToken cancellationToken) => Task.Run(async () =>
    {
        var buffer = ArrayPool<byte>.Shared.Rent(bufferBytes);
        try
        {
            while (bytes > 0)
            {
                var chunk = (int)Math.Min(bytes, bufferBytes);
                await end.SendAsync(buffer.AsMemory(0, chunk), cancellationToken);
                bytes -= chunk;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }, cancellationToken);

    private static Task ReceiveAsync(PairEnd end, long bytes, int bufferBytes, CancellationToken cancellationToken) => Task.Run(async () =>
    {
        var buffer = ArrayPool<byte>.Shared.Rent(bufferBytes);
        try
        {
            while (bytes > 0)
            {
                var read = await end.ReceiveAsync(buffer.AsMemory(0, (int)Math.Min(bytes, bufferBytes)), cancellationToken);
                if (read == 0)
                {
                    throw new EndOfStreamException($"stream ended with {bytes} bytes still expected");
                }

                bytes -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }, cancellationToken);
}
