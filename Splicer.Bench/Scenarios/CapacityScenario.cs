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
    private const int DescriptorsSpared = 1000; // the relay's own files, its pipes, the bench's sink and runtime
    private const int OpeningsAtOnce = 32;
    private static readonly TimeSpan PairTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SettleStep = TimeSpan.FromMilliseconds(250);

    public string Name => "capacity";

    public string Summary(BenchSettings settings) =>
        $"{string.Join(" then ", settings.CapacityCounts)} idle pairs held (fewer where a peer cannot hold them), each verified by a byte; "
        + $"relay RSS per pair at each count and setup time; then {settings.ChurnPairs} more pairs opened and closed while they are held, and RSS again";

    public bool AppliesTo(BenchTarget target) => target.HasRelayProcess;

    public TimeSpan Timeout(BenchSettings settings) => TimeSpan.FromSeconds(120 + (settings.CapacityCounts.Max() + settings.ChurnPairs) / 50.0);

    public async Task RunAsync(ScenarioRun run, CancellationToken cancellationToken)
    {
        var relay = run.Running.Relay ?? throw new InvalidOperationException("capacity needs a relay process");
        // A pair is two sockets in the bench and two in the relay, each process under the same limit.
        var descriptorCap = Libc.FileDescriptorLimit() is { } limit ? (int)Math.Min(int.MaxValue, (limit - DescriptorsSpared) / 2) : int.MaxValue;
        var cap = Math.Min(run.Target.MaxPairs, descriptorCap);
        var counts = Counts(run.Settings.CapacityCounts, cap);

        DisposeAll((await HoldAsync(run, WarmUpPairs, cancellationToken)).Pairs);
        var baseline = await SettledMemoryAsync(relay, cancellationToken);

        var held = new List<JoinedPair>();
        try
        {
            var failures = new List<string>();
            foreach (var count in counts)
            {
                // The pairs held so far stay; only the difference is opened, so each count costs its own pairs once.
                run.Cpu.Start();
                var started = Stopwatch.GetTimestamp();
                var holding = await HoldAsync(run, count - held.Count, cancellationToken);
                var setupSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                run.Cpu.Stop();
                held.AddRange(holding.Pairs);
                if (holding.Failures > 0)
                {
                    failures.Add($"{holding.Failures} pairs failed, first: {holding.FirstFailure}");
                }

                var memory = await SettledMemoryAsync(relay, cancellationToken);
                var suffix = count == counts[0] ? "" : $" @{count}";
                var capped = count < run.Settings.CapacityCounts.Max() && count == counts[^1] && count == cap
                    ? (cap == descriptorCap ? $"capped at {count} pairs by the file descriptor limit ({Libc.FileDescriptorLimit()})" : $"capped at {count} pairs for this peer")
                    : null;
                var note = string.Join("; ", failures.Prepend(capped).OfType<string>());
                run.Record($"pairs held{suffix}", "pairs", Better.Higher, held.Count, note.Length > 0 ? note : null, ratio: false);
                run.Record($"setup time{suffix}", "s", Better.Lower, setupSeconds);
                run.Record($"relay RSS{suffix}", "MiB", Better.Lower, memory / 1024.0);
                run.Record($"RSS per pair{suffix}", "KiB", Better.Lower, (double)(memory - baseline) / held.Count);
            }

            // Twice: the first churn may grow the heap once to a new working size; flat means the second does not.
            var beforeChurn = await SettledMemoryAsync(relay, cancellationToken);
            await ChurnAsync(run, run.Settings.ChurnPairs, cancellationToken);
            var afterChurn = await SettledMemoryAsync(relay, cancellationToken);
            run.Record($"RSS growth over {run.Settings.ChurnPairs} churned pairs", "MiB", Better.Lower, (afterChurn - beforeChurn) / 1024.0, ratio: false);
            await ChurnAsync(run, run.Settings.ChurnPairs, cancellationToken);
            var afterSecondChurn = await SettledMemoryAsync(relay, cancellationToken);
            run.Record($"RSS growth over {run.Settings.ChurnPairs} more", "MiB", Better.Lower, (afterSecondChurn - afterChurn) / 1024.0, ratio: false);
        }
        finally
        {
            DisposeAll([.. held]);
        }
    }

    /// <summary>The counts this target can hold: those under its cap, and the cap itself once when a count is above it.</summary>
    private static List<int> Counts(IReadOnlyList<int> wanted, int cap) =>
        wanted.Select(count => Math.Min(count, cap)).Distinct().Order().ToList();

    /// <summary>Pairs opened, verified and closed at once, <see cref="OpeningsAtOnce"/> at a time, while the others are held.</summary>
    private static async Task ChurnAsync(ScenarioRun run, int count, CancellationToken cancellationToken)
    {
        var failures = 0;
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = OpeningsAtOnce, CancellationToken = cancellationToken },
            async (index, token) =>
            {
                try
                {
                    using var pair = await OpenVerifiedAsync(run.Running.Pairs, index, count, token);
                }
                catch (PairFailedException) when (Interlocked.Increment(ref failures) <= Math.Max(5, count / 100))
                {
                    // A few lost pairs do not change what the memory says.
                }
            });
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
