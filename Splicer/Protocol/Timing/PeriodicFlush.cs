namespace Splicer.Timing;

/// <summary>
/// The loop behind a log line that sums up an interval (refusals, failed logins): flush on every
/// tick, and once more on the way out so that nothing counted is lost when the host stops.
/// </summary>
public static class PeriodicFlush
{
    public static async Task RunAsync(TimeSpan interval, Action flush, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                flush();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: the last flush follows.
        }

        flush();
    }
}
