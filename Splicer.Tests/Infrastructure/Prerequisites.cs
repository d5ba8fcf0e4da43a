using Splicer.Splice.Kernel;

namespace Splicer.Tests.Infrastructure;

/// <summary>What a test may need of the machine beyond .NET.</summary>
public enum Prerequisite
{
    /// <summary>splice(2) moves bytes between TCP sockets here (Linux, no sandbox in the way).</summary>
    KernelSplice,

    /// <summary>Debian's magic-wormhole client and its mailbox server.</summary>
    Wormhole,

    /// <summary>Debian's Chromium at <c>/usr/bin/chromium</c>, for Playwright to drive.</summary>
    Chromium,

    /// <summary>Root on Linux (namespaces, chroots, firewalls).</summary>
    Root,

    /// <summary>Debian's nats-server (with JetStream), the fleet's engine.</summary>
    Nats,
}

/// <summary>
/// Whether this machine has what a test needs. Off CI a test whose prerequisite is missing is skipped
/// with the reason; on CI (<c>CI=true</c>) it fails with the reason, since CI must run every test.
/// </summary>
internal static class Prerequisites
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static bool OnCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static bool IsRoot => OperatingSystem.IsLinux() && Environment.UserName == "root";

    public static bool HasProgram(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin").Append("/sbin")
            .Any(directory => File.Exists(Path.Combine(directory, program)));

    /// <summary>Null when <paramref name="prerequisite"/> is met here; otherwise what is missing and how to get it.</summary>
    public static string? WhyMissing(Prerequisite prerequisite) => prerequisite switch
    {
        Prerequisite.KernelSplice => KernelSpliceSupport.WhyUnavailable is { } reason ? $"splice(2) does not work here: {reason}" : null,
        Prerequisite.Wormhole => HasProgram("wormhole") && HasProgram("twist3")
            ? null
            : "needs magic-wormhole and its mailbox server (apt-get install magic-wormhole python3-magic-wormhole-mailbox-server; ./test.sh installs them)",
        Prerequisite.Chromium => File.Exists(ChromiumPath) ? null : $"needs Chromium at {ChromiumPath} (apt-get install chromium; ./test.sh installs it)",
        Prerequisite.Root => IsRoot ? null : "needs root",
        Prerequisite.Nats => HasProgram("nats-server") ? null : "needs nats-server (apt-get install nats-server; ./test.sh installs it)",
        _ => $"unknown prerequisite {prerequisite}",
    };

    /// <summary>
    /// What becomes of a test that needs <paramref name="prerequisites"/>, and off CI also
    /// <paramref name="programsInstalledOnCi"/> (programs the test installs itself when it runs on CI).
    /// </summary>
    public static Verdict Judge(IEnumerable<Prerequisite> prerequisites, IEnumerable<string> programsInstalledOnCi)
    {
        var missing = prerequisites.Distinct().Select(WhyMissing).OfType<string>().ToList();
        if (OnCi)
        {
            return missing.Count == 0
                ? Verdict.Run
                : Verdict.Fail($"CI (CI=true) runs every test, and this one cannot run here: {string.Join("; ", missing)}");
        }

        var programs = programsInstalledOnCi.Where(program => !HasProgram(program)).ToArray();
        if (programs.Length > 0)
        {
            missing.Add($"needs {string.Join(", ", programs)} (not installed here; on CI the test installs it)");
        }

        return missing.Count == 0 ? Verdict.Run : Verdict.Skip($"{string.Join("; ", missing)} (runs on CI, where CI=true)");
    }

    /// <summary>Run the test, skip it with a reason, or fail it with one.</summary>
    public sealed record Verdict(string? SkipReason, string? FailReason)
    {
        public static readonly Verdict Run = new(null, null);

        public static Verdict Skip(string reason) => new(reason, null);

        public static Verdict Fail(string reason) => new(null, reason);
    }
}
