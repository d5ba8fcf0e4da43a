using System.Buffers;
using System.Diagnostics;
using Splicer.Bench.Infrastructure;
using Splicer.Bench.Load;
using Splicer.Bench.Reporting;
using Splicer.Bench.Targets;

namespace Splicer.Bench.Scenarios;

/// <summary>
/// Many idle pairs held at once, each proven by one byte through it; the relay's memory per pair
/// (VmRSS held minus VmRSS before, over the pairs) and the time to set them all up.
/// </summary>
internal sealed class CapacityScenario : IScenario
{
    private const int WarmUpPairs = 100;
    private const int OpeningsAtOnce = 32;
    private static readonly TimeSpan PairTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SettleStep = TimeSpan.FromMilliseconds(250);

    public string Name => "capacity";

    public string Summary(BenchSettings settings) =>
        $"{settings.CapacityPairs} idle pairs held (fewer where a peer cannot hold them), each verified by a byte; relay RSS per pair and setup time";

    public bool AppliesTo(BenchTarget target) => target.HasRelayProcess;

    public TimeSpan Timeout(BenchSettings settings) => TimeSpan.FromSeconds(120 + settings.CapacityPairs / 50.0);

    public async Task RunAsync(ScenarioRun run, CancellationToken cancellationToken)
    {
        var relay = run.Running.Relay ?? throw new InvalidOperationException("capacity needs a relay process");
        var count = Math.Min(run.Settings.CapacityPairs, run.Target.MaxPairs);

        DisposeAll(await HoldAsync(run, WarmUpPairs, cancellationToken));
        var baseline = await SettledMemoryAsync(relay, cancellationToken);

        run.Cpu.Start();
        var started = Stopwatch.GetTimestamp();
        var pairs = await HoldAsync(run, count, cancellationToken);
        var setupSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        run.Cpu.Stop();
        try
        {
            var held = await SettledMemoryAsync(relay, cancellationToken);
            var note = count < run.Settings.CapacityPairs ? $"capped at {count} pairs for this peer" : null;
            run.Record("pairs held", "pairs", Better.Higher, count, note, ratio: false);
            run.Record("setup time", "s", Better.Lower, setupSeconds);
            run.Record("relay RSS", "MiB", Better.Lower, held / 1024.0);
            run.Record("RSS per pair", "KiB", Better.Lower, (double)(held - baseline) / count);
        }
        finally
        {
            DisposeAll(pairs);
        }
    }

    private static async Task<SocketPair[]> HoldAsync(ScenarioRun run, int count, CancellationToken cancellationToken)
    {
        var pairs = new SocketPair?[count];
        try
        {
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = OpeningsAtOnce, CancellationToken = cancellationToken },
                async (index, token) => pairs[index] = await OpenVerifiedAsync(run.Running.Pairs, index, count, token));
            return pairs!;
        }
        catch
        {
            DisposeAll(pairs);
            throw;
        }
    }

    private static async ValueTask<SocketPair> OpenVerifiedAsync(IPairOpener opener, int index, int count, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PairTimeout);
        var step = "open";
        SocketPair? pair = null;
        var probe = ArrayPool<byte>.Shared.Rent(1);
        try
        {
            pair = await opener.OpenAsync(timeout.Token);
            step = "pass a byte through";
            await SocketIo.SendAllAsync(pair.Near, probe.AsMemory(0, 1), timeout.Token);
            await SocketIo.ReceiveExactlyAsync(pair.Far, probe.AsMemory(0, 1), timeout.Token);
            return pair;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            pair?.Dispose();
            var reason = ex is OperationCanceledException ? $"no progress within {PairTimeout.TotalSeconds:0} s ({ex.Message})" : ex.Message;
            throw new InvalidOperationException($"pair {index + 1} of {count}: {step}: {reason}", ex);
        }
        catch
        {
            pair?.Dispose();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(probe);
        }
    }

    /// <summary>The relay's memory once it stops moving (two samples a step apart within 0.5%), or after the limit.</summary>
    private static async Task<long> SettledMemoryAsync(RelayProcess relay, CancellationToken cancellationToken)
    {
        var previous = relay.MemoryKiB() ?? throw new InvalidOperationException($"{relay.Name} exited while its pairs were held");
        var limit = Stopwatch.GetTimestamp() + (long)(SettleLimit.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < limit)
        {
            await Task.Delay(SettleStep, cancellationToken);
            var current = relay.MemoryKiB() ?? throw new InvalidOperationException($"{relay.Name} exited while its pairs were held");
            if (Math.Abs(current - previous) <= previous / 200)
            {
                return current;
            }

            previous = current;
        }

        return previous;
    }

    private static void DisposeAll(SocketPair?[] pairs)
    {
        foreach (var pair in pairs)
        {
            pair?.Dispose();
        }
    }
}
