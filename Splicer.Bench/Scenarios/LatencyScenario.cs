using System.Buffers;
using System.Diagnostics;
using Splicer.Bench.Load;
using Splicer.Bench.Reporting;

namespace Splicer.Bench.Scenarios;

/// <summary>A 64-byte ping through one pair and echoed back by the far side; round-trip percentiles.</summary>
internal sealed class LatencyScenario : IScenario
{
    private const int PayloadBytes = 64;
    private static readonly TimeSpan MeasureLimit = TimeSpan.FromSeconds(60);

    public string Name => "latency";

    public string Summary(BenchSettings settings) =>
        $"{settings.Pings} ping-pongs of {PayloadBytes} bytes through one pair (after {WarmUp(settings)} to warm up); RTT p50/p99 in µs";

    public TimeSpan Timeout(BenchSettings settings) => MeasureLimit + TimeSpan.FromSeconds(60);

    public async Task RunAsync(ScenarioRun run, CancellationToken cancellationToken)
    {
        using var pair = await run.Running.Pairs.OpenAsync(cancellationToken);
        using var stopEcho = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var echo = Task.Run(() => EchoAsync(pair, stopEcho.Token), cancellationToken);

        var payload = ArrayPool<byte>.Shared.Rent(PayloadBytes);
        var samples = new long[run.Settings.Pings];
        try
        {
            await PingAsync(pair, payload, new long[WarmUp(run.Settings)], cancellationToken);
            run.Cpu.Start();
            var taken = await PingAsync(pair, payload, samples, cancellationToken);
            run.Cpu.Stop();
            Record(run, samples.AsSpan(0, taken));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(payload);
            await stopEcho.CancelAsync();
            await echo.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static int WarmUp(BenchSettings settings) => Math.Max(100, settings.Pings / 10);

    /// <summary>Fills <paramref name="samples"/> with round-trip times in Stopwatch ticks; stops early past the time limit.</summary>
    private static async Task<int> PingAsync(JoinedPair pair, byte[] payload, long[] samples, CancellationToken cancellationToken)
    {
        var message = payload.AsMemory(0, PayloadBytes);
        var limit = Stopwatch.GetTimestamp() + (long)(MeasureLimit.TotalSeconds * Stopwatch.Frequency);
        for (var i = 0; i < samples.Length; i++)
        {
            var sent = Stopwatch.GetTimestamp();
            await pair.Near.SendAsync(message, cancellationToken);
            await SocketIo.ReceiveExactlyAsync(pair.Near, message, cancellationToken);
            var now = Stopwatch.GetTimestamp();
            samples[i] = now - sent;
            if (now > limit)
            {
                return i + 1;
            }
        }

        return samples.Length;
    }

    private static async Task EchoAsync(JoinedPair pair, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(PayloadBytes);
        try
        {
            var message = buffer.AsMemory(0, PayloadBytes);
            while (!cancellationToken.IsCancellationRequested)
            {
                await SocketIo.ReceiveExactlyAsync(pair.Far, message, cancellationToken);
                await pair.Far.SendAsync(message, cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Record(ScenarioRun run, Span<long> ticks)
    {
        ticks.Sort();
        var note = ticks.Length < run.Settings.Pings ? $"{ticks.Length} samples (time limit)" : null;
        run.Record("RTT p50", "µs", Better.Lower, Micros(ticks, 0.50), note);
        run.Record("RTT p99", "µs", Better.Lower, Micros(ticks, 0.99), note);
    }

    private static double Micros(ReadOnlySpan<long> sortedTicks, double quantile) =>
        sortedTicks[(int)Math.Min(sortedTicks.Length - 1, Math.Floor(quantile * sortedTicks.Length))] * 1e6 / Stopwatch.Frequency;
}
