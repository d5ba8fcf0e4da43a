using System.Text;

namespace Splicer.Endings;

/// <summary>
/// Why the relay turned a client away: a fixed word from a documented list and the reply line the
/// client reads before the close (<c>refused WORD TEXT\n</c>), made once per reason.
/// </summary>
public sealed class Refusal
{
    public static readonly Refusal RelayFull = new("relay_full", "the relay holds as many connections as it may; try again later");
    public static readonly Refusal SourceFull = new("source_full", "too many connections from your network");
    public static readonly Refusal SourceRate = new("source_rate", "too many new connections from your network; slow down");
    public static readonly Refusal TokenBusy = new("token_busy", "too many connections already wait on this token");
    public static readonly Refusal Draining = new("draining", "the relay is shutting down; try again later");

    /// <summary>Every reason, for metrics labels and the documentation test.</summary>
    public static readonly IReadOnlyList<Refusal> All = [RelayFull, SourceFull, SourceRate, TokenBusy, Draining];

    private Refusal(string word, string text)
    {
        Word = word;
        Text = text;
        Line = Encoding.ASCII.GetBytes($"refused {word} {text}\n");
    }

    /// <summary>The stable lower-case word (logs, metrics, the protocol).</summary>
    public string Word { get; }

    /// <summary>What a person reads.</summary>
    public string Text { get; }

    /// <summary>The whole reply line, newline included.</summary>
    public ReadOnlyMemory<byte> Line { get; }

    public override string ToString() => Word;
}
