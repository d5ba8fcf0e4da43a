using Splicer.Access;

namespace Splicer.Tests.Access;

/// <summary>The refusal words are a documented, stable list.</summary>
public sealed class RefusalReasonTests
{
    [Fact]
    public void The_words_are_exactly_the_documented_list_in_order()
    {
        string[] documented =
        [
            "malformed", "unsupported_version", "bad_signature", "credential_expired", "clock_skew", "replayed",
            "unknown_identity", "identity_disabled", "unknown_device", "unknown_door", "door_closed", "door_expired",
            "door_exhausted", "not_allowed_on_door", "address_not_allowed", "unknown_invite", "invite_used",
            "invite_expired", "device_already_enrolled",
        ];

        Assert.Equal(documented, RefusalReasons.All.Select(reason => reason.Word()));
    }

    [Fact]
    public void Every_word_is_lower_case_with_underscores_and_parses_back()
    {
        foreach (var reason in RefusalReasons.All)
        {
            Assert.Matches("^[a-z]+(_[a-z]+)*$", reason.Word());
            Assert.True(RefusalReasons.TryParse(reason.Word(), out var parsed));
            Assert.Equal(reason, parsed);
            Assert.False(string.IsNullOrWhiteSpace(reason.DefaultText()));
        }
    }

    [Fact]
    public void Every_word_is_in_the_readme()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var section = readme[readme.IndexOf("## Native handshake (draft, version 1)", StringComparison.Ordinal)..];

        Assert.All(RefusalReasons.All, reason => Assert.Contains($"`{reason.Word()}`", section));
    }

    [Fact]
    public void An_unknown_word_does_not_parse() => Assert.False(RefusalReasons.TryParse("nope", out _));

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Splicer.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Splicer.sln not found above the test binaries");
    }
}
