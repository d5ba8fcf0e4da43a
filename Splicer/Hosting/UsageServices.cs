using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Prometheus;
using Splicer.Accounting;
using Splicer.Admin;
using Splicer.Admin.Hosting;
using Splicer.Administration;
using Splicer.State;

namespace Splicer.Hosting;

public static class UsageServices
{
    /// <summary>
    /// Registers usage kept on disk (<c>Splicer:Usage</c>): the store, the writer that records every
    /// ended session and checkpoints running ones, its metrics and the admin's reader; and the state
    /// store itself unless registered already. Call it before <c>AddSplicerRelay</c>: the drain runs
    /// before any service stops, and hosted services stop in reverse order, so the writer stops last
    /// and still takes the records of the sessions the drain ended a moment before.
    /// </summary>
    public static IServiceCollection AddSplicerUsage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSplicerState(configuration);

        services.AddOptions<UsageOptions>().Bind(configuration.GetSection(UsageOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<UsageOptions>, UsageOptionsValidator>());
        services.TryAddSingleton<UsageStore>();
        services.TryAddSingleton<IUsageReport, UsageReader>();

        var usage = configuration.GetSection(UsageOptions.SectionName).Get<UsageOptions>() ?? new UsageOptions();
        if (!usage.Enabled)
        {
            return services;
        }

        services.AddSingleton<UsageRecorder>();
        services.AddSingleton<ISessionRecorder>(provider => provider.GetRequiredService<UsageRecorder>());
        services.AddHostedService(provider => provider.GetRequiredService<UsageRecorder>());
        if (AdminSetup.MetricsEnabled(configuration))
        {
            services.AddHostedService<UsageMetricsRegistration>();
        }

        return services;
    }

    /// <summary>Creates the usage metrics with the host, so they are there from the first scrape.</summary>
    private sealed class UsageMetricsRegistration(CollectorRegistry registry, UsageRecorder usage) : IHostedService
    {
        private readonly UsageMetrics _metrics = new(registry, usage);

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
