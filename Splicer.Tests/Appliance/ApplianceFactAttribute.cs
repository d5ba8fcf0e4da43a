namespace Splicer.Tests.Appliance;

/// <summary>
/// A fact that needs root and the given programs. On CI (<c>CI=true</c>) it always runs: the scripts
/// install what they lack. Elsewhere it is skipped, with the reason, when it cannot run here.
/// </summary>
public sealed class ApplianceFactAttribute : FactAttribute
{
    public ApplianceFactAttribute(params string[] programs)
    {
        if (ApplianceEnvironment.IsCi)
        {
            return;
        }

        if (!ApplianceEnvironment.IsRoot)
        {
            Skip = "needs root (runs on CI, where CI=true, as root)";
            return;
        }

        var missing = programs.Where(program => !ApplianceEnvironment.HasProgram(program)).ToArray();
        if (missing.Length > 0)
        {
            Skip = $"needs {string.Join(", ", missing)} (not installed here; on CI the script installs it)";
        }
    }
}
