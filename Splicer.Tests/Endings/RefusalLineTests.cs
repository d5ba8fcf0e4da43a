using System.Text;
using System.Text.RegularExpressions;
using Splicer.Endings;

namespace Splicer.Tests.Endings;

/// <summary>How the relay says no: one line, <c>refused WORD TEXT\n</c>, the word from a fixed list.</summary>
public sealed partial class RefusalLineTests
{
    /// <summary>The words a client may read, and metrics label with; a new one is a protocol change.</summary>
    private static readonly string[] Words = ["relay_full", "source_full", "source_rate", "token_busy", "draining"];

    [Fact]
    public void The_refusal_words_are_the_fixed_list()
    {
        Assert.Equal(Words, Refusal.All.Select(refusal => refusal.Word));
    }

    [Fact]
    public void A_refusal_word_is_lower_case_letters_and_underscores()
    {
        Assert.All(Refusal.All, refusal => Assert.Matches(WordPattern(), refusal.Word));
    }

    [Fact]
    public void Every_refusal_line_reads_refused_then_the_word_then_the_text()
    {
        Assert.All(Refusal.All, refusal =>
            Assert.Equal(Encoding.ASCII.GetBytes($"refused {refusal.Word} {refusal.Text}\n"), refusal.Line.ToArray()));
    }

    [Fact]
    public void A_refusal_line_is_one_line_of_printable_ascii()
    {
        Assert.All(Refusal.All, refusal =>
        {
            var line = refusal.Line.ToArray();
            Assert.All(line[..^1], b => Assert.InRange(b, (byte)0x20, (byte)0x7E));
            Assert.Equal((byte)'\n', line[^1]);
            Assert.Matches(LinePattern(), Encoding.ASCII.GetString(line));
        });
    }

    [Fact]
    public void Refusal_reasons_are_distinct()
    {
        Assert.Equal(Refusal.All.Count, Refusal.All.Select(refusal => refusal.Word).Distinct().Count());
        Assert.Equal(Refusal.All.Count, Refusal.All.Select(refusal => refusal.Text).Distinct().Count());
    }

    [GeneratedRegex("^[a-z]+(_[a-z]+)*$")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"\Arefused [a-z_]+ [\x20-\x7E]+\n\z")]
    private static partial Regex LinePattern();
}
