using System.Globalization;

namespace Splicer.Client.Tunnel;

/// <summary>
/// The tokens and sides of <c>expose</c>/<c>connect</c>, all derived from the code: one lobby token where a
/// <c>connect</c> meets the waiting <c>expose</c> and is given a session id, then a fresh token per connection
/// (<c>expose/SESSION/N</c>). Each role has a fixed side, so two <c>connect</c>s never pair with each other.
/// </summary>
public sealed class TunnelCode(CodeKeys keys)
{
    public const string LobbyPurpose = "expose/lobby";
    public const int SessionLength = 16;

    public CodeKeys Keys { get; } = keys;

    public string ExposeSide { get; } = keys.Token("expose/side/expose")[..16];

    public string ConnectSide { get; } = keys.Token("expose/side/connect")[..16];

    public static string ConnectionPurpose(ReadOnlySpan<byte> session, long number) =>
        $"expose/{Convert.ToHexStringLower(session)}/{number.ToString(CultureInfo.InvariantCulture)}";
}

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
