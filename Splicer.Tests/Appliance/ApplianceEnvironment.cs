namespace Splicer.Tests.Appliance;

/// <summary>Where the appliance and its scripts are, found from the test binaries (root and programs: <see cref="Infrastructure.Prerequisites"/>).</summary>
internal static class ApplianceEnvironment
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string ApplianceDirectory => Path.Combine(RepositoryRoot, "appliance");

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
