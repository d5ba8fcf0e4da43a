namespace Splicer.Tests.Infrastructure;

/// <summary>How long a test waits for an event before it fails: generous, since the machine is small and busy.</summary>
internal static class Patience
{
    public static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    public static Task WithPatience(this Task task) => task.WaitAsync(Long);

    public static Task<T> WithPatience<T>(this Task<T> task) => task.WaitAsync(Long);

    public static Task<T> WithPatience<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Long);

    /// <summary>Waits until <paramref name="condition"/> holds, checking it again at a short interval.</summary>
    public static Task Until(Func<bool> condition, string what) => UntilAsync(() => Task.FromResult(condition()), what);

    /// <summary>Waits until <paramref name="condition"/> holds, checking it again at a short interval.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        using var deadline = new CancellationTokenSource(Long);
        while (!await condition())
        {
            try
            {
                await timer.WaitForNextTickAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Gave up waiting for {what} after {Long.TotalSeconds:F0}s");
            }
        }
    }
}
