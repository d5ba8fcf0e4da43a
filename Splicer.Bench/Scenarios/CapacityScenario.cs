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

        DisposeAll((await HoldAsync(run, WarmUpPairs, cancellationToken)).Pairs);
        var baseline = await SettledMemoryAsync(relay, cancellationToken);

        run.Cpu.Start();
        var started = Stopwatch.GetTimestamp();
        var holding = await HoldAsync(run, count, cancellationToken);
        var setupSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        run.Cpu.Stop();
        try
        {
            var held = await SettledMemoryAsync(relay, cancellationToken);
            var pairs = holding.Pairs.Length;
            string?[] notes =
            [
                count < run.Settings.CapacityPairs ? $"capped at {count} pairs for this peer" : null,
                holding.Failures > 0 ? $"{holding.Failures} pairs failed, first: {holding.FirstFailure}" : null,
            ];
            var note = string.Join("; ", notes.OfType<string>());
            run.Record("pairs held", "pairs", Better.Higher, pairs, note.Length > 0 ? note : null, ratio: false);
            run.Record("setup time", "s", Better.Lower, setupSeconds);
            run.Record("relay RSS", "MiB", Better.Lower, held / 1024.0);
            run.Record("RSS per pair", "KiB", Better.Lower, (double)(held - baseline) / pairs);
        }
        finally
        {
            DisposeAll(holding.Pairs);
        }
    }

    /// <summary>
    /// Opens and verifies <paramref name="count"/> pairs. A few may fail (a relay that loses a pair
    /// now and then still gets its memory measured, and the failures are reported); more fail the run.
    /// </summary>
    private static async Task<Holding> HoldAsync(ScenarioRun run, int count, CancellationToken cancellationToken)
    {
        var pairs = new JoinedPair?[count];
        var failures = 0;
        string? firstFailure = null;
        var tolerated = Math.Max(5, count / 100);
        try
        {
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = OpeningsAtOnce, CancellationToken = cancellationToken },
                async (index, token) =>
                {
                    try
                    {
                        pairs[index] = await OpenVerifiedAsync(run.Running.Pairs, index, count, token);
                    }
                    catch (PairFailedException ex)
                    {
                        Interlocked.CompareExchange(ref firstFailure, ex.Message, null);
                        if (Interlocked.Increment(ref failures) > tolerated)
                        {
                            throw;
                        }
                    }
                });
            return new Holding(pairs.OfType<JoinedPair>().ToArray(), failures, firstFailure);
        }
        catch
        {
            DisposeAll(pairs);
            throw;
        }
    }

    private sealed record Holding(JoinedPair[] Pairs, int Failures, string? FirstFailure);

    private sealed class PairFailedException(string message, Exception inner) : Exception(message, inner);

    private static async ValueTask<JoinedPair> OpenVerifiedAsync(IPairOpener opener, int index, int count, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PairTimeout);
        var step = "open";
        JoinedPair? pair = null;
        var probe = ArrayPool<byte>.Shared.Rent(1);
        try
        {
            pair = await opener.OpenAsync(timeout.Token);
            step = "pass a byte through";
            await pair.Near.SendAsync(probe.AsMemory(0, 1), timeout.Token);
            await SocketIo.ReceiveExactlyAsync(pair.Far, probe.AsMemory(0, 1), timeout.Token);
            return pair;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            pair?.Dispose();
            var reason = ex is OperationCanceledException ? $"no progress within {PairTimeout.TotalSeconds:0} s ({ex.Message})" : ex.Message;
            throw new PairFailedException($"pair {index + 1} of {count}: {step}: {reason}", ex);
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

    private static void DisposeAll(JoinedPair?[] pairs)
    {
        foreach (var pair in pairs)
        {
            pair?.Dispose();
        }
    }
}
