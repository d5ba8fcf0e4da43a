namespace Splicer.Tests.Appliance;

/// <summary>What the appliance tests need to know of the machine they run on.</summary>
internal static class ApplianceEnvironment
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static bool IsRoot => OperatingSystem.IsLinux() && Environment.UserName == "root";

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string ApplianceDirectory => Path.Combine(RepositoryRoot, "appliance");

    public static bool HasProgram(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin").Append("/sbin")
            .Any(directory => File.Exists(Path.Combine(directory, program)));

    private static string FindRepositoryRoot()
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
