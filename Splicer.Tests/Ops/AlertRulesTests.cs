using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Splicer.Tests.Admin;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Ops;

/// <summary>
/// The shipped alert rules against the real tools: <c>promtool check rules</c>, and a real Prometheus
/// server that loads them and scrapes Splicer on loopback (Debian's <c>prometheus</c> package, which
/// <c>./test.sh</c> installs).
/// </summary>
public sealed partial class AlertRulesTests
{
    [Fact]
    public async Task Promtool_accepts_the_alert_rules()
    {
        await using var promtool = ExternalProcess.Start("promtool", ["check", "rules", RulesFile()]);

        var exit = await promtool.WaitForExitAsync();

        Assert.True(exit == 0, promtool.Output);
        Assert.Contains("SUCCESS: 4 rules found", promtool.Output);
    }

    [Fact]
    public async Task Every_splicer_metric_the_alert_rules_use_is_exported()
    {
        var rules = await File.ReadAllTextAsync(RulesFile());
        await using var host = await AdminEndpoints.StartAsync();
        using var http = host.CreateAdminClient();

        var exported = await http.GetStringAsync("metrics");

        var used = MetricName().Matches(rules).Select(match => match.Value).Distinct().ToArray();
        Assert.Equal(["splicer_refusals_total", "splicer_quota_used_ratio", "splicer_state_write_failures_total"], used);
        Assert.All(used, metric => Assert.Matches($"(?m)^{metric}[{{ ]", exported));
    }

    [Fact]
    public async Task A_real_Prometheus_scraping_Splicer_returns_the_relayed_bytes_and_loads_the_rules()
    {
        await using var relay = await AdminEndpoints.StartAsync();
        var admin = relay.AdminUri();
        using (var pair = await TestClient.PairAsync(relay))
        {
            var payload = RandomNumberGenerator.GetBytes(123_456);
            var sending = pair.A.SendAllThenShutdownAsync(payload);
            Assert.Equal(payload.Length, (await pair.B.ReadToEndAsync()).Length);
            await sending;
        }

        var folder = Directory.CreateTempSubdirectory("splicer-prometheus-");
        try
        {
            var port = FreePort.Next();
            var config = Path.Combine(folder.FullName, "prometheus.yml");
            await File.WriteAllTextAsync(config, $"""
                global: {"{"} scrape_interval: 1s, evaluation_interval: 1s {"}"}
                rule_files: ["{RulesFile()}"]
                scrape_configs:
                  - job_name: splicer
                    static_configs: [{"{"} targets: ["{admin.Authority}"] {"}"}]
                """);
            await using var prometheus = ExternalProcess.Start("prometheus",
            [
                $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(folder.FullName, "data")}",
                $"--web.listen-address=127.0.0.1:{port}",
            ]);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = Patience.Long };

            await Patience.UntilAsync(async () => await QueryAsync(http, "sum(splicer_relayed_bytes_total)") == 123_456,
                "Prometheus to scrape the relayed bytes");
            Assert.Equal(1, await QueryAsync(http, "up{job=\"splicer\"}"));
            var rules = await http.GetStringAsync("api/v1/rules");
            Assert.Contains("SplicerStateStoreFailing", rules);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The query's single value, or -1 while Prometheus is not up or has no sample yet.</summary>
    private static async Task<double> QueryAsync(HttpClient http, string query)
    {
        try
        {
            using var response = await http.GetAsync("api/v1/query?query=" + Uri.EscapeDataString(query));
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return -1;
            }

            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var result = body.RootElement.GetProperty("data").GetProperty("result");
            return result.GetArrayLength() == 1
                ? double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)
                : -1;
        }
        catch (HttpRequestException)
        {
            return -1;
        }
    }

    private static string RulesFile()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "appliance", "grafana", "splicer-alerts.yml");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("appliance/grafana/splicer-alerts.yml not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"splicer_[a-z_]+")]
    private static partial Regex MetricName();
}
