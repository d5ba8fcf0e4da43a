using Splicer.Client.Framing;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Docs;

/// <summary>
/// The docs' from-source way, <c>dotnet run -c Release --project Splicer -- VERB</c>, runs the program in the folder it was
/// typed in (Directory.Build.props sets RunWorkingDirectory), so a relative path means what the user typed.
/// </summary>
public sealed class FromSourceTests
{
    [Fact]
    public async Task Dotnet_run_resolves_a_relative_path_in_the_folder_it_was_typed_in()
    {
        var folder = Directory.CreateTempSubdirectory("splicer-from-source-");
        try
        {
            await using var run = ExternalProcess.Start("dotnet", [
                "run", "--no-build", "-c", TestBuild.Configuration, "--project", Path.Combine(RepositoryFiles.Root, "Splicer"), "--",
                "receive", PairingCode.Create().Text(), "--into", "not-here"], folder.FullName);

            Assert.Equal(2, await run.WaitForExitAsync());
            Assert.Contains($"splicer: {Path.Combine(folder.FullName, "not-here")} is not a folder", run.Output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
