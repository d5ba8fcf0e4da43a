using System.Buffers;
using System.Diagnostics;
using Splicer.Bench.Load;
using Splicer.Bench.Reporting;

namespace Splicer.Bench.Scenarios;

/// <summary>
/// Whole short sessions as fast as several clients can go: connect both sides, handshake, one byte
/// each way, close in order.
/// </summary>
internal sealed class PairingRateScenario : IScenario
{
    /// <summary>
    /// Long enough for a JIT-compiled relay to reach its steady code: tiered compilation settles in
    /// about a second on a quiet machine, but its thread was still busy 3-4 s after start on a loaded one.
    /// </summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);
    private const int MaxFailures = 100;
    private static readonly TimeSpan PairTimeout = TimeSpan.FromSeconds(10);

    public string Name => "pairing";

    public string Summary(BenchSettings settings) =>
        $"{settings.PairingClients} clients for {settings.PairingDuration.TotalSeconds:0.#} s (at most {settings.PairingMaxPairs} pairs): connect both sides, handshake, 1 byte each way, close; pairs/s";

    public TimeSpan Timeout(BenchSettings settings) => settings.PairingDuration + TimeSpan.FromSeconds(60);

    public async Task RunAsync(ScenarioRun run, CancellationToken cancellationToken)
    {
        await RunClientsAsync(run, WarmUp, run.Settings.PairingMaxPairs, cancellationToken);

        var memoryBefore = run.Running.Relay?.MemoryKiB();
        run.Cpu.Start();
        var outcome = await RunClientsAsync(run, run.Settings.PairingDuration, run.Settings.PairingMaxPairs, cancellationToken);
        run.Cpu.Stop();

        // Pairs still open at the deadline finish (or time out) but are not counted, so a stuck pair
        // shows as a failure instead of stretching the measured time.
        run.Record("pairs/s", "pairs/s", Better.Higher, outcome.CompletedInTime / outcome.Seconds,
            outcome.Failed > 0 ? $"{outcome.Failed} pairs failed, first: {outcome.FirstFailure}" : null);
        if (run.Cpu.RelayCpuSeconds is { } relaySeconds && outcome.Completed > 0)
        {
            run.Record("relay CPU per pair", "CPU µs", Better.Lower, relaySeconds * 1e6 / outcome.Completed);
        }

        if (memoryBefore is { } before && run.Running.Relay?.MemoryKiB() is { } after)
        {
            run.Record("relay RSS growth", "MiB", Better.Lower, (after - before) / 1024.0, ratio: false);
        }
    }

    private sealed record Outcome(long Completed, long CompletedInTime, double Seconds, long Failed, string? FirstFailure);

    private static async Task<Outcome> RunClientsAsync(
        ScenarioRun run, TimeSpan duration, int maxPairs, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var deadline = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long completed = 0;
        long completedInTime = 0;
        long lastInTime = start;
        long failed = 0;
        long started = 0;
        string? firstFailure = null;

        async Task ClientAsync()
        {
            var scratch = ArrayPool<byte>.Shared.Rent(4096);
            var pairTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            try
            {
                while (Stopwatch.GetTimestamp() < deadline && Interlocked.Increment(ref started) <= maxPairs)
                {
                    if (!pairTimeout.TryReset())
                    {
                        pairTimeout.Dispose();
                        pairTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    }

                    pairTimeout.CancelAfter(PairTimeout);
                    try
                    {
                        await OnePairAsync(run.Running.Pairs, scratch, pairTimeout.Token);
                        Interlocked.Increment(ref completed);
                        var now = Stopwatch.GetTimestamp();
                        if (now <= deadline)
                        {
                            Interlocked.Increment(ref completedInTime);
                            InterlockedMax(ref lastInTime, now);
                        }
                    }
                    catch (PairFailedException ex) when (!cancellationToken.IsCancellationRequested)
                    {
                        Interlocked.CompareExchange(ref firstFailure, ex.Message, null);
                        if (Interlocked.Increment(ref failed) > MaxFailures)
                        {
                            throw;
                        }
                    }
                }
            }
            finally
            {
                pairTimeout.Dispose();
                ArrayPool<byte>.Shared.Return(scratch);
            }
        }

        var clients = new Task[run.Settings.PairingClients];
        for (var i = 0; i < clients.Length; i++)
        {
            clients[i] = Task.Run(ClientAsync, cancellationToken);
        }

        await Task.WhenAll(clients);
        var seconds = Math.Max(Stopwatch.GetElapsedTime(start, Math.Max(lastInTime, Math.Min(deadline, Stopwatch.GetTimestamp()))).TotalSeconds, 1e-3);
        return new Outcome(completed, completedInTime, seconds, failed, firstFailure);
    }

    private static void InterlockedMax(ref long location, long value)
    {
        var current = Interlocked.Read(ref location);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private static async Task OnePairAsync(IPairOpener pairs, byte[] scratch, CancellationToken cancellationToken)
    {
        var step = "open the pair";
        JoinedPair? pair = null;
        try
        {
            pair = await pairs.OpenAsync(cancellationToken);
            var oneByte = scratch.AsMemory(0, 1);
            step = "byte near to far";
            await pair.Near.SendAsync(oneByte, cancellationToken);
            await SocketIo.ReceiveExactlyAsync(pair.Far, oneByte, cancellationToken);
            step = "byte far to near";
            await pair.Far.SendAsync(oneByte, cancellationToken);
            await SocketIo.ReceiveExactlyAsync(pair.Near, oneByte, cancellationToken);
            step = "close in order";
            await SocketIo.CloseInOrderAsync(pair, scratch, cancellationToken);
        }
        catch (Exception ex)
        {
            pair?.Dispose();
            var reason = ex is OperationCanceledException ? $"no progress within {PairTimeout.TotalSeconds:0} s ({ex.Message})" : ex.Message;
            throw new PairFailedException($"{step}: {reason}", ex);
        }
    }

    private sealed class PairFailedException(string message, Exception inner) : Exception(message, inner);
}
