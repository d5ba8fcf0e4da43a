using Splicer.Endings;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Endings;

/// <summary>The refusal words are one documented, stable list (docs/protocols.md, "Refusal words"): the relay's limits and access alike.</summary>
public sealed class RefusalWordsTests
{
    [Fact]
    public void The_words_are_exactly_the_documented_list_in_order()
    {
        string[] documented =
        [
            "malformed", "unsupported_version", "bad_signature", "credential_expired", "clock_skew", "replayed",
            "unknown_identity", "identity_disabled", "unknown_device", "unknown_door", "door_closed", "door_expired",
            "door_exhausted", "not_allowed_on_door", "address_not_allowed", "unknown_invite", "invite_used",
            "invite_expired", "device_already_enrolled", "relay_full", "source_full", "source_rate", "token_busy", "draining", "quota_spent", "quota_sessions",
        ];

        Assert.Equal(documented, Refusal.All.Select(refusal => refusal.Word));
    }

    [Fact]
    public void Every_word_is_lower_case_with_underscores_unique_and_parses_back()
    {
        Assert.Equal(Refusal.All.Count, Refusal.All.Select(refusal => refusal.Word).Distinct().Count());
        foreach (var refusal in Refusal.All)
        {
            Assert.Matches("^[a-z]+(_[a-z]+)*$", refusal.Word);
            Assert.True(Refusal.TryParse(refusal.Word, out var parsed));
            Assert.Same(refusal, parsed);
            Assert.False(string.IsNullOrWhiteSpace(refusal.Text));
        }
    }

    [Fact]
    public void Every_reply_line_is_refused_word_text_newline()
    {
        foreach (var refusal in Refusal.All)
        {
            Assert.Equal($"refused {refusal.Word} {refusal.Text}\n", System.Text.Encoding.ASCII.GetString(refusal.Line.Span));
        }
    }

    [Fact]
    public void A_particular_text_is_cut_to_two_hundred_printable_characters()
    {
        var line = System.Text.Encoding.ASCII.GetString(Refusal.DoorClosed.LineWith("é\n" + new string('x', 300)));

        Assert.Equal("refused door_closed ??" + new string('x', 198) + "\n", line);
    }

    [Fact]
    public void Every_word_is_listed_once_in_the_documented_refusal_table()
    {
        var section = RepositoryFiles.Section("docs/protocols.md", "### Refusal words");

        Assert.All(Refusal.All, refusal => Assert.Single(section, row => row.StartsWith($"| `{refusal.Word}` |", StringComparison.Ordinal)));
    }

    [Fact]
    public void An_unknown_word_does_not_parse() => Assert.False(Refusal.TryParse("nope", out _));
}
