namespace Splicer.Client.Failures;

/// <summary>The relay turned the client away with a <c>refused WORD TEXT</c> line.</summary>
public sealed class RelayRefusedException(string word, string text)
    : ClientFailure($"the relay refused: {word} ({text})")
{
    public string Word { get; } = word;
}
