using Splicer.Client.Failures;

namespace Splicer.Client.Tunnel;

/// <summary>How long to wait before trying the relay again: from a quarter second, doubling, at most five seconds.</summary>
public sealed class Backoff
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(5);
    private TimeSpan _next = First;

    public void Reset() => _next = First;

    public async Task WaitAsync(string why, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"{why}; trying again in {_next.TotalSeconds:0.##}s");
        await Task.Delay(_next, cancellationToken);
        _next = _next * 2 > Longest ? Longest : _next * 2;
    }

    /// <summary>Refusals that pass (a full or restarting relay); the others need a person.</summary>
    public static bool IsPassing(RelayRefusedException refused) =>
        refused.Word is "relay_full" or "source_full" or "source_rate" or "token_busy" or "draining";
}
