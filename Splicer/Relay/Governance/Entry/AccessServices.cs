using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Splicer.Governance;
using Splicer.Handshake;

namespace Splicer.Governance.Entry;

public static class AccessServices
{
    /// <summary>
    /// Registers the access options and the checks. Needs an <see cref="IAccessDirectory"/>, an
    /// <see cref="IInviteRedeemer"/> and the <see cref="BoxKeyRing"/>: <c>AddSplicerState</c> provides them.
    /// </summary>
    public static IServiceCollection AddSplicerAccess(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(service => service.ServiceType == typeof(AccessChecker)))
        {
            // Registered already (the relay and the admin may both ask for it).
            return services;
        }

        services.AddOptions<AccessOptions>().Bind(configuration.GetSection(AccessOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AccessOptions>, AccessOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ProofReplayGuard>();
        services.AddSingleton<AccessChecker>();
        services.AddSingleton<InviteEnrollment>();
        services.AddSingleton<IAccessStage, HandshakeAccess>();
        return services;
    }
}
