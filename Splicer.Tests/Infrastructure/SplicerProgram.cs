using System.Diagnostics;

namespace Splicer.Tests.Infrastructure;

/// <summary>
/// How tests start the built <c>splicer</c>: <c>dotnet Splicer.dll</c> from the tests' own output, or the
/// executable named by <c>SPLICER_TEST_PROGRAM</c> (e.g. the NativeAOT publish), so the same classes check
/// the small-box build: <c>SPLICER_TEST_PROGRAM=Splicer/bin/Release/net10.0/linux-x64/aot/Splicer dotnet test …</c>.
/// </summary>
internal static class SplicerProgram
{
    public const string Variable = "SPLICER_TEST_PROGRAM";

    private static readonly string? Native =
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    /// <summary>The file to execute, followed by <paramref name="arguments"/> after whatever must come first.</summary>
    public static (string FileName, IReadOnlyList<string> Arguments) Command(IEnumerable<string> arguments) => Native is null
        ? ("dotnet", [Path.Combine(AppContext.BaseDirectory, "Splicer.dll"), .. arguments])
        : (Native, [.. arguments]);

    /// <summary>The program run inside a network namespace the test made: <c>ip netns exec NAMESPACE PROGRAM ARGUMENTS…</c>.</summary>
    public static (string FileName, IReadOnlyList<string> Arguments) InNamespace(string networkNamespace, IEnumerable<string> arguments)
    {
        var (fileName, all) = Command(arguments);
        return ("ip", ["netns", "exec", networkNamespace, fileName, .. all]);
    }

    /// <summary>As <see cref="InNamespace"/>, started as an external process.</summary>
    public static ExternalProcess StartInNamespace(
        string networkNamespace, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var (fileName, all) = InNamespace(networkNamespace, arguments);
        return ExternalProcess.Start(fileName, all, environment: environment);
    }

    /// <summary>The program with <paramref name="arguments"/> as an external process (see <see cref="ExternalProcess.Start"/>).</summary>
    public static ExternalProcess Start(IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var (fileName, all) = Command(arguments);
        return ExternalProcess.Start(fileName, all, workingDirectory);
    }

    /// <summary>A start info for the program with <paramref name="arguments"/>; the caller adds redirections.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var (fileName, all) = Command(arguments);
        var info = new ProcessStartInfo(fileName) { UseShellExecute = false };
        foreach (var argument in all)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    /// <summary>The program with <paramref name="arguments"/> as one shell command line (arguments without quotes or spaces).</summary>
    public static string ShellLine(params string[] arguments)
    {
        var (fileName, all) = Command(arguments);
        return string.Join(' ', [fileName, .. all]);
    }
}
