using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Appliance;

/// <summary>
/// A fact that needs root and the given programs. On CI (<c>CI=true</c>) it runs, as root, and the
/// scripts install the programs they lack (without root it fails, with the reason). Elsewhere it is
/// skipped, with the reason, when it cannot run here.
/// </summary>
public sealed class ApplianceFactAttribute : RequiresFactAttribute
{
    public ApplianceFactAttribute(params string[] programs)
        : base(Prerequisite.Root) => ProgramsInstalledOnCi = programs;
}

/// <summary>
/// An appliance fact for the arm64 image: it runs only where the arm64 Debian tree is already cached (or with
/// <c>SPLICER_APPLIANCE_ARM64=1</c>), since building that tree under qemu-user takes over an hour, more than
/// a fresh CI machine has for the whole suite. Elsewhere it is skipped with that reason.
/// </summary>
public sealed class ApplianceArm64FactAttribute : RequiresFactAttribute
{
    public ApplianceArm64FactAttribute(params string[] programs)
        : base(Prerequisite.Root)
    {
        ProgramsInstalledOnCi = programs;
        if (!Arm64TreeCached && Environment.GetEnvironmentVariable("SPLICER_APPLIANCE_ARM64") != "1")
        {
            Skip = $"the arm64 Debian tree is not cached in {CacheDirectory} (building it under qemu-user takes over an hour: " +
                   "run appliance/build --arch arm64 --image once, or set SPLICER_APPLIANCE_ARM64=1)";
        }
    }

    private static string CacheDirectory => Environment.GetEnvironmentVariable("SPLICER_APPLIANCE_CACHE") ?? "/var/cache/splicer-appliance";

    private static bool Arm64TreeCached =>
        Directory.Exists(CacheDirectory) && Directory.EnumerateFiles(CacheDirectory, "rootfs-*-arm64-*.tar").Any();
}
