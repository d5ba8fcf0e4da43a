namespace Splicer.Tests.Appliance;

/// <summary>Builds the x64 .deb once for all appliance tests (appliance/build --arch x64).</summary>
public sealed class ApplianceBuildFixture
{
    private readonly Lazy<Task<string>> _deb = new(BuildAsync);

    /// <summary>The path of the built .deb; the build's output is in the failure message if it fails.</summary>
    public Task<string> DebAsync() => _deb.Value;

    private static async Task<string> BuildAsync()
    {
        var result = await ApplianceScript.RunAsync("build", TimeSpan.FromMinutes(15), [], "--arch", "x64");
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("appliance/build --arch x64 failed:" + Environment.NewLine + result.Output);
        }

        var output = Environment.GetEnvironmentVariable("SPLICER_APPLIANCE_OUT") ?? Path.Combine(ApplianceEnvironment.ApplianceDirectory, "out");
        return Directory.GetFiles(output, "splicer_*_amd64.deb").Single();
    }
}

/// <summary>The appliance tests run one at a time and apart from the others: they are heavy (builds, chroots, a VM).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ApplianceCollection : ICollectionFixture<ApplianceBuildFixture>
{
    public const string Name = "Appliance";
}
