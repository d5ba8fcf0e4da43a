using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Splicer.Accept;
using Splicer.Accounting;
using Splicer.Admin;
using Splicer.Admin.Hosting;
using Splicer.Administration;
using Splicer.Endings;
using Splicer.Fleet;
using Splicer.Governance;
using Splicer.Governance.Entry;
using Splicer.Governance.Sessions;
using Splicer.Handshake;
using Splicer.Options;
using Splicer.Rendezvous;
using Splicer.Rendezvous.Direct;
using Splicer.Splice;
using Splicer.State;
using Splicer.Transport;

namespace Splicer.Hosting;

public static class RelayServices
{
    /// <summary>Registers the relay: options, the stages from accept to accounting, the admin's view of them.</summary>
    public static IServiceCollection AddSplicerRelay(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SplicerOptions>().Bind(configuration.GetSection(SplicerOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SplicerOptions>, SplicerOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        // State and access: the SQLite store under Splicer:StateDirectory, the box key, who may come in.
        services.AddSplicerState(configuration);
        services.AddSplicerAccess(configuration);

        // Accept.
        services.AddSingleton<DescriptorBudget>();
        services.AddSingleton<ConnectionGate>();
        services.AddSingleton<StageCounters>();
        services.AddSingleton<SpliceListener>();
        services.AddHostedService(provider => provider.GetRequiredService<SpliceListener>());

        // Each stage knows only the interface the one before it declares.
        AddTransports(services, configuration);
        services.AddSingleton<HandshakeStage>();
        services.AddSingleton<IConnectionStage>(provider =>
            ActivatorUtilities.CreateInstance<TransportStage>(provider, (IConnectionStage)provider.GetRequiredService<HandshakeStage>()));
        services.AddSingleton<DeadlineSweeper>();
        services.AddSingleton<PairingTable>();
        services.AddSingleton<IPairingStage, RendezvousStage>();
        services.AddSingleton<PunchCounters>();
        services.AddSingleton<PunchTickets>();
        services.AddSingleton<IPunchReports>(provider => provider.GetRequiredService<PunchTickets>());
        services.AddSingleton<DirectPathBroker>();
        services.AddSingleton<SessionRegistry>();
        services.AddSingleton<ISessionDrain>(provider => provider.GetRequiredService<SessionRegistry>());
        services.AddSingleton<ISessionStarter, SessionRunner>();
        services.AddSplicerFleet<NodeLoad>(configuration);
        AddLimits(services, configuration);
        services.AddSingleton(SpliceEngines.Create);
        services.AddSingleton<StreamSpliceEngine>();
        services.AddHostedService<IdleSessionReaper>();
        services.AddHostedService<AccessWatcher>();

        // Accounting: where every ending is counted and recorded.
        services.AddSingleton<IEndingRecorder, EndingAccountant>();
        services.AddSingleton<ISessionRecorder, LogSessionRecorder>();
        AddRecorder<RefusalSummary>(services);
        services.AddHostedService(provider => provider.GetRequiredService<RefusalSummary>());
        AddRecorder<RelayedBytes>(services);
        if (AdminSetup.MetricsEnabled(configuration))
        {
            AddRecorder<PrometheusRecorder>(services);
        }

        // Administration: the engine as the admin reads and changes it.
        AddRecorder<RecentSessions>(services);
        services.AddSingleton<IRelayStatus, RelayStatus>();
        services.AddSingleton<IFleetView, FleetStatus>();
        services.AddSingleton<IRelayMonitor, RelayMonitor>();
        services.AddOptions<RelayHintsOptions>().Bind(configuration.GetSection(RelayHintsOptions.SectionName));
        services.AddSingleton<IRelayHints, RelayHints>();
        return services;
    }

    /// <summary>TLS (<c>Splicer:Tls</c>) and WebSocket (<c>Splicer:WebSocket</c>) on the splice port, found by the first byte.</summary>
    private static void AddTransports(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TlsOptions>().Bind(configuration.GetSection(TlsOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TlsOptions>, TlsOptionsValidator>());
        services.AddOptions<WebSocketTransportOptions>().Bind(configuration.GetSection(WebSocketTransportOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebSocketTransportOptions>, WebSocketTransportOptionsValidator>());
        services.AddSingleton<TlsCertificates>();
        services.AddSingleton<TlsAcceptor>();
        services.AddSingleton<TransportCounters>();
    }

    /// <summary>The bandwidth caps (<c>Splicer:Limits</c>) and the pacers that hold sessions to them.</summary>
    private static void AddLimits(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LimitsOptions>().Bind(configuration.GetSection(LimitsOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LimitsOptions>, LimitsOptionsValidator>());
        services.AddSingleton<SessionPacing>();
        services.AddOptions<QuotaOptions>().Bind(configuration.GetSection(QuotaOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<QuotaOptions>, QuotaOptionsValidator>());
        services.TryAddSingleton<UsageStore>();
        services.AddSingleton<IQuotaMeter>(provider => new QuotaMeter(
            provider.GetRequiredService<SessionRegistry>(),
            provider.GetRequiredService<UsageStore>(),
            provider.GetService<UsageRecorder>(),
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<SessionQuotas>();
        services.AddSingleton<ISessionGovernance, SessionGovernance>();
        services.AddHostedService<QuotaWatcher>();
    }

    /// <summary>A recorder that is also read by others: one instance, known by its type and as a recorder.</summary>
    private static void AddRecorder<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TRecorder>(IServiceCollection services)
        where TRecorder : class, ISessionRecorder
    {
        services.AddSingleton<TRecorder>();
        services.AddSingleton<ISessionRecorder>(provider => provider.GetRequiredService<TRecorder>());
    }
}
