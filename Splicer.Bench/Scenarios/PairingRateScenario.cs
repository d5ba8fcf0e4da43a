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
    private const int WarmUpPairs = 300;
    private const int MaxFailures = 100;
    private static readonly TimeSpan PairTimeout = TimeSpan.FromSeconds(10);

    public string Name => "pairing";

    public string Summary(BenchSettings settings) =>
        $"{settings.PairingClients} clients for {settings.PairingDuration.TotalSeconds:0.#} s (at most {settings.PairingMaxPairs} pairs): connect both sides, handshake, 1 byte each way, close; pairs/s";

    public TimeSpan Timeout(BenchSettings settings) => settings.PairingDuration + TimeSpan.FromSeconds(60);

    public async Task RunAsync(ScenarioRun run, CancellationToken cancellationToken)
    {
        await RunClientsAsync(run, TimeSpan.FromSeconds(30), WarmUpPairs, cancellationToken);

        var memoryBefore = run.Running.Relay?.MemoryKiB();
        run.Cpu.Start();
        var started = Stopwatch.GetTimestamp();
        var (completed, failed) = await RunClientsAsync(run, run.Settings.PairingDuration, run.Settings.PairingMaxPairs, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        run.Cpu.Stop();

        run.Record("pairs/s", "pairs/s", Better.Higher, completed / elapsed,
            failed > 0 ? $"{failed} pairs failed" : null);
        if (memoryBefore is { } before && run.Running.Relay?.MemoryKiB() is { } after)
        {
            run.Record("relay RSS growth", "MiB", Better.Lower, (after - before) / 1024.0, $"over {completed} pairs of churn");
        }
    }

    private static async Task<(long Completed, long Failed)> RunClientsAsync(
        ScenarioRun run, TimeSpan duration, int maxPairs, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long completed = 0;
        long failed = 0;
        long started = 0;

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
                    }
                    catch (Exception) when (!cancellationToken.IsCancellationRequested)
                    {
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
        return (completed, failed);
    }

    private static async Task OnePairAsync(IPairOpener pairs, byte[] scratch, CancellationToken cancellationToken)
    {
        var pair = await pairs.OpenAsync(cancellationToken);
        try
        {
            var oneByte = scratch.AsMemory(0, 1);
            await SocketIo.SendAllAsync(pair.Near, oneByte, cancellationToken);
            await SocketIo.ReceiveExactlyAsync(pair.Far, oneByte, cancellationToken);
            await SocketIo.SendAllAsync(pair.Far, oneByte, cancellationToken);
            await SocketIo.ReceiveExactlyAsync(pair.Near, oneByte, cancellationToken);
        }
        catch
        {
            pair.Dispose();
            throw;
        }

        await SocketIo.CloseInOrderAsync(pair, scratch, cancellationToken);
    }
}
