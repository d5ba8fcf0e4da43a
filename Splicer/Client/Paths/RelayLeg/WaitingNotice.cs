using System.Diagnostics;

namespace Splicer.Client.Paths.RelayLeg;

/// <summary>Says a side is still waiting for its partner: a second in, then every ten seconds, until the wait ends.</summary>
internal static class WaitingNotice
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(10);

    public static async Task<T> WhileAsync<T>(Task<T> wait, Action<TimeSpan>? notice, CancellationToken cancellationToken)
    {
        if (notice is null)
        {
            return await wait;
        }

        var started = Stopwatch.GetTimestamp();
        for (var due = First; ; due = due < Every ? Every : due + Every)
        {
            var left = due - Stopwatch.GetElapsedTime(started);
            if (left > TimeSpan.Zero && await Task.WhenAny(wait, Task.Delay(left, cancellationToken)) == wait)
            {
                return await wait;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (wait.IsCompleted)
            {
                return await wait;
            }

            notice(Stopwatch.GetElapsedTime(started));
        }
    }
}
