using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Splicer.Accept;
using Splicer.Accounting;
using Splicer.Admin;
using Splicer.Handshake;
using Splicer.Rendezvous;
using Splicer.Splice;

namespace Splicer.Hosting;

public static class RelayServices
{
    /// <summary>Registers the relay: options, the stages from accept to accounting, and the splice listener.</summary>
    public static IServiceCollection AddSplicerRelay(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SplicerOptions>().Bind(configuration.GetSection(SplicerOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SplicerOptions>, SplicerOptionsValidator>());

        services.AddSingleton<ConnectionGate>();
        services.AddSingleton<ConnectionHandler>();
        services.AddSingleton<HandshakeStage>();
        services.AddSingleton<PairingTable>();
        services.AddSingleton<RendezvousStage>();
        services.AddSingleton<SessionRegistry>();
        services.AddSingleton<SessionRunner>();
        services.AddSingleton(SpliceEngines.Create);
        services.AddSingleton<SessionAccountant>();
        services.AddSingleton<ConnectionCloser>();
        services.AddSingleton<ISessionRecorder, LogSessionRecorder>();
        services.AddSingleton<StageCounters>();
        AddRecorder<RelayedBytes>(services);
        AddRecorder<RecentSessions>(services);
        if (AdminSetup.MetricsEnabled(configuration))
        {
            AddRecorder<PrometheusRecorder>(services);
        }

        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton<SpliceListener>();
        services.AddHostedService(provider => provider.GetRequiredService<SpliceListener>());
        services.AddHostedService<IdleSessionReaper>();
        services.AddSingleton<IRelayStatus, RelayStatus>();
        services.AddSingleton<IRelayMonitor, RelayMonitor>();
        return services;
    }

    /// <summary>A recorder that is also read by others: one instance, known by its type and as a recorder.</summary>
    private static void AddRecorder<TRecorder>(IServiceCollection services)
        where TRecorder : class, ISessionRecorder
    {
        services.AddSingleton<TRecorder>();
        services.AddSingleton<ISessionRecorder>(provider => provider.GetRequiredService<TRecorder>());
    }

    private sealed class RelayStatus(SpliceListener listener, SessionRegistry sessions) : IRelayStatus
    {
        public bool IsListening => listener.IsListening;

        public bool IsDraining => sessions.IsDraining;
    }
}
