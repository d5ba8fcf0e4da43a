using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Splicer.Admin;

public static class AdminSetup
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddSplicerAdmin(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AdminOptions>().Bind(configuration.GetSection(AdminOptions.SectionName)).ValidateOnStart();
        services.AddHealthChecks()
            .AddCheck<RelayReadinessCheck>("relay", tags: [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapSplicerAdmin(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return endpoints;
    }

    private sealed class RelayReadinessCheck(IRelayStatus relay) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(relay switch
            {
                { IsDraining: true } => HealthCheckResult.Unhealthy("draining"),
                { IsListening: false } => HealthCheckResult.Unhealthy("not listening"),
                _ => HealthCheckResult.Healthy("listening"),
            });
    }
}
