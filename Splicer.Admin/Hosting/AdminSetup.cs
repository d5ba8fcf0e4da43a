using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;
using Splicer.Admin;
using Splicer.Admin.Access;
using Splicer.Admin.Api;
using Splicer.Admin.Listening;
using Splicer.Admin.Live;
using Splicer.Admin.Updates;

namespace Splicer.Admin.Hosting;

public static class AdminSetup
{
    /// <summary>Admin connections held at once; more are closed as they come (the relay keeps descriptors for these).</summary>
    public const int MaxConnections = 64;

    private const string ReadyTag = "ready";

    public static IServiceCollection AddSplicerAdmin(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AdminOptions>().Bind(configuration.GetSection(AdminOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>());
        services.AddOptions<AdminOptions>().PostConfigure(ReadBearerTokenFile);

        AddHostRule(services, configuration);
        AddFailedLoginThrottle(services);
        AddPatientListener(services);

        services.AddHealthChecks()
            .AddCheck<RelayReadinessCheck>("relay", tags: [ReadyTag]);

        // ASP.NET logs an Error for every unready probe: a balancer probing a full or draining relay
        // each second would flood the log. The relay says once why it is full or draining.
        services.Configure<LoggerFilterOptions>(filters => filters.Rules.Insert(0,
            new LoggerFilterRule(providerName: null, "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", LogLevel.Critical, filter: null)));

        services.AddAuthentication(CredentialAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, CredentialAuthenticationHandler>(CredentialAuthenticationHandler.SchemeName, null);
        services.AddSingleton<IAuthorizationHandler, AdminAccessHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminAccessRequirement.AdminPolicy, policy => policy.AddRequirements(new AdminAccessRequirement(isMetrics: false)))
            .AddPolicy(AdminAccessRequirement.MetricsPolicy, policy => policy.AddRequirements(new AdminAccessRequirement(isMetrics: true)));
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.HeaderName = AntiforgeryFilter.HeaderName;
            antiforgery.Cookie.Name = "splicer-antiforgery";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
        });

        // Only the generated metadata, also where reflection is allowed: what the tests pass is what the AOT build does.
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.TypeInfoResolverChain.Clear();
            json.SerializerOptions.TypeInfoResolverChain.Add(AdminJson.Default);
        });

        services.AddSingleton<ISystemUpdate, SystemUpdate>();
        services.AddSingleton<LiveFeed>();
        services.AddSingleton<ThroughputSampler>();
        services.AddHostedService(provider => provider.GetRequiredService<ThroughputSampler>());

        services.AddSingleton(_ => CreateMetricsRegistry());
        return services;
    }

    /// <summary>Whether <c>/metrics</c> is served; read before the host is built, since the engine registers its collectors by it.</summary>
    public static bool MetricsEnabled(IConfiguration configuration) => ReadAdminOptions(configuration).Metrics.Enabled;

    public static IEndpointRouteBuilder MapSplicerAdmin(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteReadiness,
        });

        RelayApi.Map(endpoints);
        AccessApi.Map(endpoints);
        UsageApi.Map(endpoints);
        SystemApi.Map(endpoints);
        DashboardAssets.Map(endpoints);

        var configuration = endpoints.ServiceProvider.GetRequiredService<IConfiguration>();
        if (MetricsEnabled(configuration))
        {
            var registry = endpoints.ServiceProvider.GetRequiredService<CollectorRegistry>();
            endpoints.MapMetrics("/metrics", registry).RequireAuthorization(AdminAccessRequirement.MetricsPolicy);
        }

        return endpoints;
    }

    /// <summary>"Healthy", or the status with why (<c>Unhealthy: full: …</c>), so a person probing sees the reason.</summary>
    private static Task WriteReadiness(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var reasons = report.Entries.Values.Where(entry => entry.Status != HealthStatus.Healthy).Select(entry => entry.Description);
        return context.Response.WriteAsync(report.Status == HealthStatus.Healthy
            ? nameof(HealthStatus.Healthy)
            : $"{report.Status}: {string.Join("; ", reasons)}");
    }

    /// <summary><c>Admin:BearerTokenFile</c> becomes the bearer token; what is wrong with it is left for the validator to report.</summary>
    private static void ReadBearerTokenFile(AdminOptions admin)
    {
        if (string.IsNullOrEmpty(admin.BearerTokenFile))
        {
            admin.BearerTokenFile = null;
            return;
        }

        if (admin.BearerTokenFileRead)
        {
            return;
        }

        admin.BearerTokenFileRead = true;

        if (!string.IsNullOrEmpty(admin.BearerToken))
        {
            admin.BearerTokenFileProblem = "Admin:BearerToken and Admin:BearerTokenFile are both set; set one (the file keeps the token off the command line).";
            return;
        }

        admin.BearerToken = TokenFile.TryRead("Admin:BearerTokenFile", admin.BearerTokenFile, out var problem);
        admin.BearerTokenFileProblem = problem;
    }

    private static AdminOptions ReadAdminOptions(IConfiguration configuration) =>
        configuration.GetSection(AdminOptions.SectionName).Get<AdminOptions>() ?? new AdminOptions();

    /// <summary>The admin answers only its own host names (<see cref="AdminHosts"/>).</summary>
    private static void AddHostRule(IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<HostFilteringOptions>, AdminHostFiltering>());
        if (AdminUrl.TryGetHost(ReadAdminOptions(configuration).Url, out var host) && AdminUrl.BindsEveryAddress(host))
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IOptionsChangeTokenSource<HostFilteringOptions>, InterfaceAddressChanges>());
        }
    }

    /// <summary>
    /// The admin's accept loop backs off when descriptors run out, and it holds at most
    /// <see cref="MaxConnections"/> connections, which the relay's descriptor budget keeps free for it.
    /// </summary>
    private static void AddPatientListener(IServiceCollection services)
    {
        services.AddSingleton<IConnectionListenerFactory, PatientListenerFactory>();
        services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxConcurrentConnections = MaxConnections);
    }

    private static void AddFailedLoginThrottle(IServiceCollection services)
    {
        services.AddSingleton<FailedLoginLog>();
        services.AddHostedService(provider => provider.GetRequiredService<FailedLoginLog>());
        services.AddSingleton(provider => new FailedLoginThrottle(
            FailedLoginLimits.Default,
            provider.GetRequiredService<FailedLoginLog>(),
            provider.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping));

        // ASP.NET writes two Information lines per failed try for the scheme ("was not authenticated",
        // "was challenged"); the summary replaces them. Inserted first, so that a Logging:LogLevel
        // entry for the handler's category, which comes later, still wins.
        services.Configure<LoggerFilterOptions>(filters => filters.Rules.Insert(0,
            new LoggerFilterRule(providerName: null, typeof(CredentialAuthenticationHandler).FullName, LogLevel.Warning, filter: null)));
    }

    /// <summary>One registry per host (not prometheus-net's static default), so that hosts in one process stay apart.</summary>
    private static CollectorRegistry CreateMetricsRegistry()
    {
        var registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(registry);
        return registry;
    }

    private sealed class RelayReadinessCheck(IRelayStatus relay) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(relay switch
            {
                { IsDraining: true } => HealthCheckResult.Unhealthy("draining"),
                { IsListening: false } => HealthCheckResult.Unhealthy("not listening"),
                { WhyFull: { } why } => HealthCheckResult.Unhealthy(why),
                _ => HealthCheckResult.Healthy("listening"),
            });
    }
}
