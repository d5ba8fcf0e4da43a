using System.Collections.Concurrent;

namespace Splicer.Tests.Appliance;

/// <summary>
/// Builds each architecture's .deb once for all appliance tests (appliance/build --arch ARCH), and its disk
/// image with the system slot and signed update bundle once for the tests that boot it (appliance/image/build-image).
/// </summary>
public sealed class ApplianceBuildFixture
{
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _debs = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _images = new();

    private static string OutputDirectory =>
        Environment.GetEnvironmentVariable("SPLICER_APPLIANCE_OUT") ?? Path.Combine(ApplianceEnvironment.ApplianceDirectory, "out");

    /// <summary>The path of the built x64 .deb; the build's output is in the failure message if it fails.</summary>
    public Task<string> DebAsync() => DebAsync("x64");

    /// <summary>The path of the built .deb of <paramref name="arch"/> (x64 or arm64).</summary>
    public Task<string> DebAsync(string arch) =>
        _debs.GetOrAdd(arch, _ => new Lazy<Task<string>>(() => BuildDebAsync(arch))).Value;

    /// <summary>The path of the built disk image of <paramref name="arch"/> (the slot image *.ext4 and bundle *.raucb beside it).</summary>
    public Task<string> ImageAsync(string arch) =>
        _images.GetOrAdd(arch, _ => new Lazy<Task<string>>(() => BuildImageAsync(arch))).Value;

    private static async Task<string> BuildDebAsync(string arch)
    {
        var result = await ApplianceScript.RunAsync("build", TimeSpan.FromMinutes(15), [], "--arch", arch);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"appliance/build --arch {arch} failed:" + Environment.NewLine + result.Output);
        }

        var debianArch = arch == "x64" ? "amd64" : arch;
        return Directory.GetFiles(OutputDirectory, $"splicer_*_{debianArch}.deb").Single();
    }

    private async Task<string> BuildImageAsync(string arch)
    {
        var deb = await DebAsync(arch);
        var image = Path.Combine(OutputDirectory, $"splicer-appliance-{arch}.img");
        var result = await ApplianceScript.RunAsync("image/build-image", TimeSpan.FromMinutes(30), [], deb, image);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"appliance/image/build-image ({arch}) failed:" + Environment.NewLine + result.Output);
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
