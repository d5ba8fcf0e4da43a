namespace Splicer.Tests.Infrastructure;

/// <summary>
/// A temporary bin folder holding a built program as <c>splicer</c> (as a person's <c>~/.local/bin</c> would), and shell
/// commands run with it first on PATH. Deleted when disposed.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class ProgramOnPath : IDisposable
{
    private ProgramOnPath(string fileName, IReadOnlyList<string> arguments)
    {
        Folder = Directory.CreateTempSubdirectory("splicer-bin-").FullName;
        var command = string.Join(' ', new[] { fileName }.Concat(arguments).Select(Quoted));
        var program = System.IO.Path.Combine(Folder, "splicer");
        File.WriteAllText(program, $"#!/bin/sh\nexec {command} \"$@\"\n");
        File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Folder { get; }

    /// <summary>PATH with the folder first.</summary>
    public string Path => Folder + ":" + (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin");

    /// <summary>The whole <c>splicer</c> program (relay, owner's verbs and client), as <see cref="SplicerProgram"/> runs it.</summary>
    public static ProgramOnPath Whole()
    {
        var (fileName, arguments) = SplicerProgram.Command([]);
        return new ProgramOnPath(fileName, arguments);
    }

    /// <summary>The client-only program a person downloads (its build beside the tests', not the NativeAOT publish).</summary>
    public static ProgramOnPath ClientOnly() => new(ClientOnlyBuild.File("splicer-client"), []);

    /// <summary>Runs <paramref name="script"/> with <c>bash -c</c> to its end; returns the exit code and stdout and stderr together.</summary>
    public async Task<(int Exit, string Output)> BashAsync(string script, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        await using var bash = Bash(script, workingDirectory, environment);
        var exit = await bash.WaitForExitAsync();
        return (exit, bash.Output);
    }

    /// <summary>Starts <paramref name="script"/> with <c>bash -c</c>, this folder first on PATH.</summary>
    public ExternalProcess Bash(string script, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var all = new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>()) { ["PATH"] = Path };
        return ExternalProcess.Start("bash", ["-c", script], workingDirectory, all);
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private static string Quoted(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

/// <summary>The configuration and target framework these tests were built with (Release, net10.0), read from their folder.</summary>
internal static class TestBuild
{
    private static readonly DirectoryInfo FrameworkFolder = new(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));

    public static string Configuration => FrameworkFolder.Parent!.Name;

    public static string Framework => FrameworkFolder.Name;
}

/// <summary>The client-only program's build made with the same configuration as these tests (part of Splicer.sln).</summary>
internal static class ClientOnlyBuild
{
    public static string File(string name)
    {
        var path = System.IO.Path.Combine(RepositoryFiles.Root, "Splicer", "ClientOnly", "bin", TestBuild.Configuration, TestBuild.Framework, name);
        Assert.True(System.IO.File.Exists(path), $"{path} is missing: build Splicer.sln (the client-only program is one of its projects)");
        return path;
    }
}
