using System.Text.Json;
using System.Text.RegularExpressions;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Admin;

public sealed partial class GrafanaDashboardTests
{
    [Fact]
    public async Task Every_metric_the_Grafana_dashboard_queries_is_exported()
    {
        var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(FindDashboard()));
        var expressions = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(panel => panel.TryGetProperty("targets", out _))
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray())
            .Select(target => target.GetProperty("expr").GetString()!)
            .ToArray();
        await using var host = await AdminEndpoints.StartAsync();
        using var http = host.CreateAdminClient();

        var exported = await http.GetStringAsync("metrics");

        var queried = expressions.SelectMany(expr => MetricName().Matches(expr).Select(match => match.Value)).Distinct().ToArray();
        Assert.NotEmpty(queried);
        Assert.All(queried, metric => Assert.Matches($"(?m)^{metric}[{{ ]", exported));
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
