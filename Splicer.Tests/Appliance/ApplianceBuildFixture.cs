namespace Splicer.Tests.Appliance;

/// <summary>
/// Builds the x64 .deb once for all appliance tests (appliance/build --arch x64), and the disk image with
/// its system slot and signed update bundle once for the tests that boot it (appliance/image/build-image).
/// </summary>
public sealed class ApplianceBuildFixture
{
    private readonly Lazy<Task<string>> _deb = new(BuildDebAsync);
    private readonly Lazy<Task<string>> _image;

    public ApplianceBuildFixture() => _image = new(BuildImageAsync);

    private static string OutputDirectory =>
        Environment.GetEnvironmentVariable("SPLICER_APPLIANCE_OUT") ?? Path.Combine(ApplianceEnvironment.ApplianceDirectory, "out");

    /// <summary>The path of the built .deb; the build's output is in the failure message if it fails.</summary>
    public Task<string> DebAsync() => _deb.Value;

    /// <summary>The path of the built x64 disk image (the slot image *.ext4 and bundle *.raucb beside it).</summary>
    public Task<string> ImageAsync() => _image.Value;

    private static async Task<string> BuildDebAsync()
    {
        var result = await ApplianceScript.RunAsync("build", TimeSpan.FromMinutes(15), [], "--arch", "x64");
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("appliance/build --arch x64 failed:" + Environment.NewLine + result.Output);
        }

        return Directory.GetFiles(OutputDirectory, "splicer_*_amd64.deb").Single();
    }

    private async Task<string> BuildImageAsync()
    {
        var deb = await DebAsync();
        var image = Path.Combine(OutputDirectory, "splicer-appliance-x64.img");
        var result = await ApplianceScript.RunAsync("image/build-image", TimeSpan.FromMinutes(20), [], deb, image);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("appliance/image/build-image failed:" + Environment.NewLine + result.Output);
        }

        return image;
    }
}

/// <summary>The appliance tests run one at a time and apart from the others: they are heavy (builds, chroots, a VM).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ApplianceCollection : ICollectionFixture<ApplianceBuildFixture>
{
    public const string Name = "Appliance";
}
