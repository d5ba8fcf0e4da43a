using System.Text.Json;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Client;

/// <summary>
/// The client-only program a person downloads carries the client and the protocol alone: none of the relay,
/// the admin, ASP.NET Core, SQLite or prometheus-net (read from its build's dependency list and runtime config).
/// </summary>
public sealed class ClientOnlyProgramTests
{
    private static readonly string[] RelayOnly =
        ["Microsoft.AspNetCore", "Microsoft.Data.Sqlite", "SQLitePCLRaw", "prometheus-net", "Splicer.Relay", "Splicer.Admin", "Splicer/"];

    [Fact]
    public void Its_dependency_list_holds_nothing_of_the_relay()
    {
        using var deps = JsonDocument.Parse(File.ReadAllText(BuiltFile("splicer-client.deps.json")));
        var libraries = deps.RootElement.GetProperty("libraries").EnumerateObject().Select(library => library.Name).ToList();

        Assert.Contains(libraries, name => name.StartsWith("Splicer.Client/", StringComparison.Ordinal));
        Assert.Contains(libraries, name => name.StartsWith("Splicer.Protocol/", StringComparison.Ordinal));
        Assert.All(libraries, name => Assert.DoesNotContain(RelayOnly, banned => name.StartsWith(banned, StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public void It_runs_on_the_base_runtime_alone()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(BuiltFile("splicer-client.runtimeconfig.json")));
        var options = config.RootElement.GetProperty("runtimeOptions");
        var frameworks = options.TryGetProperty("frameworks", out var many)
            ? many.EnumerateArray().Select(framework => framework.GetProperty("name").GetString()).ToList()
            : [options.GetProperty("framework").GetProperty("name").GetString()];

        Assert.Equal(["Microsoft.NETCore.App"], frameworks);
    }

    private static string BuiltFile(string name) => ClientOnlyBuild.File(name);
}
