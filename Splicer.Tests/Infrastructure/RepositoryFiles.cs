namespace Splicer.Tests.Infrastructure;

/// <summary>The repository's own files (the README, the pages in <c>docs/</c>), found from the test binaries.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));

    /// <summary>
    /// The lines under <paramref name="heading"/> (a whole heading line, e.g. <c>### Refusal words</c>) of a Markdown
    /// file, up to the next heading of the same or a higher level (headings inside code blocks do not count).
    /// </summary>
    public static IReadOnlyList<string> Section(string relativePath, string heading)
    {
        var lines = Read(relativePath).Split('\n');
        var level = HeadingLevel(heading);
        var start = Array.IndexOf(lines, heading);
        if (level == 0 || start < 0)
        {
            throw new InvalidOperationException($"{relativePath} has no heading line \"{heading}\"");
        }

        var section = new List<string>();
        var inCode = false;
        foreach (var line in lines.Skip(start + 1))
        {
            inCode ^= line.StartsWith("```", StringComparison.Ordinal);
            if (!inCode && HeadingLevel(line) is > 0 and var next && next <= level)
            {
                break;
            }

            section.Add(line);
        }

        return section;
    }

    /// <summary>1 for <c># Title</c>, 2 for <c>## Part</c> …; 0 for a line that is not a heading.</summary>
    public static int HeadingLevel(string line)
    {
        var hashes = line.TakeWhile(character => character == '#').Count();
        return hashes is > 0 and <= 6 && line.Length > hashes && line[hashes] == ' ' ? hashes : 0;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Splicer.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Splicer.sln not found above " + AppContext.BaseDirectory);
    }
}
