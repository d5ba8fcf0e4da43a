namespace Splicer.Tests.Infrastructure;

/// <summary>
/// Runs racers on dedicated threads that start each round together at a barrier, so a test can have
/// several parties act on the same object at the same moment, round after round, without sleeping.
/// </summary>
internal static class Race
{
    /// <summary>
    /// Runs <paramref name="rounds"/> rounds; in each, <paramref name="racers"/> threads pass a start
    /// gate together and call <paramref name="step"/>(round, racer). Rethrows what any racer threw.
    /// </summary>
    public static void Run(int rounds, int racers, Action<int, int> step)
    {
        using var gate = new Barrier(racers);
        var failures = new List<Exception>();
        var threads = Enumerable.Range(0, racers).Select(racer => new Thread(() =>
        {
            for (var round = 0; round < rounds; round++)
            {
                if (!gate.SignalAndWait(Patience.Long))
                {
                    lock (failures)
                    {
                        failures.Add(new TimeoutException($"racer {racer} waited at the start gate of round {round} for {Patience.Long}"));
                    }

                    return;
                }

                try
                {
                    step(round, racer);
                }
                catch (Exception ex)
                {
                    // The racer keeps coming to the gate, so the others are not left waiting for it.
                    lock (failures)
                    {
                        failures.Add(ex);
                    }
                }
            }
        })
        {
            IsBackground = true,
            Name = $"racer {racer}",
        }).ToArray();

        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            Assert.True(thread.Join(Patience.Long * 2), $"{thread.Name} did not finish");
        }

        if (failures.Count > 0)
        {
            throw new AggregateException($"{failures.Count} racer step(s) failed", failures);
        }
    }
}
