using System.Text;
using System.Text.RegularExpressions;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Docs;

/// <summary>
/// The docs stay readable: a short README, one page per reader in <c>docs/</c> that first says who it is for
/// (the convention: the first paragraph after the page's title starts with "For "), and no relative link that
/// leads nowhere, to a file or to a heading in it.
/// </summary>
public sealed partial class DocsTests
{
    private const int ReadmeMostLines = 200;

    public static TheoryData<string> Pages()
    {
        var pages = new TheoryData<string>();
        foreach (var page in DocsPages())
        {
            pages.Add(page);
        }

        return pages;
    }

    public static TheoryData<string> Documents()
    {
        var documents = Pages();
        documents.Add("README.md");
        return documents;
    }

    [Fact]
    public void The_readme_is_at_most_two_hundred_lines()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryFiles.Root, "README.md")).Length;

        Assert.True(lines <= ReadmeMostLines, $"README.md has {lines} lines; at most {ReadmeMostLines}: move the rest to a page in docs/");
    }

    [Fact]
    public void There_are_pages_and_the_readme_maps_every_one()
    {
        var readmeTargets = Links(RepositoryFiles.Read("README.md")).Select(link => link.Split('#')[0]).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(DocsPages());
        Assert.All(DocsPages(), page => Assert.Contains(page, readmeTargets));
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_page_first_says_who_it_is_for(string page)
    {
        var lines = RepositoryFiles.Read(page).Split('\n');
        var firstParagraph = lines.Skip(1).SkipWhile(string.IsNullOrWhiteSpace).FirstOrDefault() ?? "";

        Assert.Equal(1, RepositoryFiles.HeadingLevel(lines[0]));
        Assert.True(firstParagraph.StartsWith("For ", StringComparison.Ordinal),
            $"{page}: the first paragraph after the title should start with \"For \" (who the page is for), not \"{firstParagraph}\"");
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_relative_link_leads_to_a_file_and_heading_that_exist(string document)
    {
        var directory = Path.GetDirectoryName(Path.Combine(RepositoryFiles.Root, document))!;
        var broken = new List<string>();
        foreach (var link in Links(RepositoryFiles.Read(document)).Where(IsRelative))
        {
            var hash = link.IndexOf('#', StringComparison.Ordinal);
            var path = hash < 0 ? link : link[..hash];
            var anchor = hash < 0 ? null : link[(hash + 1)..];
            var target = path.Length == 0 ? Path.Combine(RepositoryFiles.Root, document) : Path.GetFullPath(Path.Combine(directory, path));
            if (!File.Exists(target) && !Directory.Exists(target))
            {
                broken.Add($"{link}: no file {path}");
            }
            else if (anchor is not null && !(File.Exists(target) && Anchors(File.ReadAllText(target)).Contains(anchor)))
            {
                broken.Add($"{link}: no heading #{anchor} in {path}");
            }
        }

        Assert.True(broken.Count == 0, $"{document}: " + string.Join("; ", broken));
    }

    [Theory]
    [InlineData("## Native handshake (version 1)", "native-handshake-version-1")]
    [InlineData("## Install the .deb (any Debian 12 / Ubuntu box, x64 or arm64)", "install-the-deb-any-debian-12--ubuntu-box-x64-or-arm64")]
    [InlineData("# The `splicer` client", "the-splicer-client")]
    [InlineData("## End-to-end protection (the client's protocol)", "end-to-end-protection-the-clients-protocol")]
    public void Anchors_are_made_as_GitHub_makes_them(string heading, string anchor) => Assert.Contains(anchor, Anchors(heading + "\n"));

    private static string[] DocsPages() =>
        Directory.GetFiles(Path.Combine(RepositoryFiles.Root, "docs"), "*.md")
            .Select(path => "docs/" + Path.GetFileName(path))
            .Order(StringComparer.Ordinal)
            .ToArray();

    private static bool IsRelative(string link) => !UriScheme().IsMatch(link);

    /// <summary>Every Markdown link target outside code blocks and code spans.</summary>
    private static List<string> Links(string markdown) =>
        Prose(markdown).SelectMany(line => MarkdownLink().Matches(CodeSpan().Replace(line, "")).Select(match => match.Groups[1].Value)).ToList();

    /// <summary>The anchors of a Markdown file's headings, as GitHub makes them: lower case, punctuation dropped, each space a hyphen, repeats numbered.</summary>
    private static HashSet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in Prose(markdown).Where(line => RepositoryFiles.HeadingLevel(line) > 0))
        {
            var text = line[(RepositoryFiles.HeadingLevel(line) + 1)..].Trim().ToLowerInvariant();
            var slug = new StringBuilder();
            foreach (var character in text.Where(character => char.IsLetterOrDigit(character) || character is ' ' or '-' or '_'))
            {
                slug.Append(character == ' ' ? '-' : character);
            }

            var anchor = slug.ToString();
            for (var repeat = 1; !anchors.Add(anchor); repeat++)
            {
                anchor = $"{slug}-{repeat}";
            }
        }

        return anchors;
    }

    /// <summary>The lines of a Markdown file that are not inside a fenced code block.</summary>
    private static IEnumerable<string> Prose(string markdown)
    {
        var inCode = false;
        foreach (var line in markdown.Split('\n'))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
            }
            else if (!inCode)
            {
                yield return line;
            }
        }
    }

    [GeneratedRegex(@"\[[^\]]*\]\(([^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex("`[^`]*`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex UriScheme();
}
