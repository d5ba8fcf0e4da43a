using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Appliance;

/// <summary>Runs one of the scripts under appliance/ to its end, or kills it at its time limit.</summary>
internal static class ApplianceScript
{
    public sealed record Result(int ExitCode, string Output);

    /// <param name="relativePath">The script, relative to appliance/.</param>
    /// <param name="environment">NAME=VALUE pairs added to the script's environment.</param>
    public static async Task<Result> RunAsync(string relativePath, TimeSpan timeLimit, string[] environment, params string[] arguments)
    {
        string[] command = [.. environment, "bash", Path.Combine(ApplianceEnvironment.ApplianceDirectory, relativePath), .. arguments];
        await using var script = ExternalProcess.Start("env", command, ApplianceEnvironment.RepositoryRoot);
        try
        {
            return new Result(await script.WaitForExitAsync(timeLimit), script.Output);
        }
        catch (TimeoutException)
        {
            return new Result(-1, script.Output + $"(killed: still running after {timeLimit})");
        }
    }
}
