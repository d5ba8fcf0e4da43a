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
