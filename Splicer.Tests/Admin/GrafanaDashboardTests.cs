using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Admin;

public sealed partial class GrafanaDashboardTests
{
    [Fact]
    public async Task Every_metric_the_Grafana_dashboard_queries_is_exported()
    {
        var expressions = await ExpressionsAsync();
        await using var host = await AdminEndpoints.StartAsync();
        using var http = host.CreateAdminClient();

        var exported = await http.GetStringAsync("metrics");

        var queried = expressions.SelectMany(expr => MetricName().Matches(expr).Select(match => match.Value)).Distinct().ToArray();
        Assert.NotEmpty(queried);
        Assert.All(queried, metric => Assert.Matches($"(?m)^{metric}[{{ ]", exported));
    }

    /// <summary>Promtool checks every query as PromQL: each becomes a recording rule, Grafana's variables given plain values.</summary>
    [Fact]
    public async Task Promtool_parses_every_query_of_the_Grafana_dashboard()
    {
        var expressions = await ExpressionsAsync();
        var rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (var i = 0; i < expressions.Length; i++)
        {
            var query = expressions[i].Replace("$instance", ".*").Replace("$__rate_interval", "1m").Replace("$__range", "1h");
            rules.Append(CultureInfo.InvariantCulture, $"      - record: dashboard:query_{i}\n        expr: {JsonSerializer.Serialize(query)}\n");
        }

        var file = Path.Combine(Path.GetTempPath(), $"splicer-dashboard-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(file, rules.ToString());
        try
        {
            await using var promtool = ExternalProcess.Start("promtool", ["check", "rules", file]);
            var exit = await promtool.WaitForExitAsync();

            Assert.True(exit == 0, promtool.Output + "\n" + rules);
            Assert.Contains($"SUCCESS: {expressions.Length} rules found", promtool.Output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<string[]> ExpressionsAsync()
    {
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(FindDashboard()));
        return dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(panel => panel.TryGetProperty("targets", out _))
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray())
            .Select(target => target.GetProperty("expr").GetString()!)
            .ToArray();
    }

    private static string FindDashboard()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "appliance", "grafana", "splicer-dashboard.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("appliance/grafana/splicer-dashboard.json not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\b(splicer|process|dotnet)_[a-z_]+")]
    private static partial Regex MetricName();
}
