namespace Splicer.Tests.Admin;

/// <summary>Waits for a condition by polling, with a generous deadline instead of a fixed sleep.</summary>
internal static class Eventually
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    public static Task TrueAsync(Func<bool> condition, string what, CancellationToken cancellationToken = default) =>
        TrueAsync(() => Task.FromResult(condition()), what, cancellationToken);

    public static async Task TrueAsync(Func<Task<bool>> condition, string what, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Deadline);
        using var timer = new PeriodicTimer(PollInterval);
        try
        {
            while (!await condition())
            {
                await timer.WaitForNextTickAsync(deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"Timed out after {Deadline} waiting until {what}.");
        }
    }
}
