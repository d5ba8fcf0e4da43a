using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Splicer.Access;

public static class AccessServices
{
    /// <summary>
    /// Registers the access options and the checks. Needs an <see cref="IAccessDirectory"/>, an
    /// <see cref="IInviteRedeemer"/> and the <see cref="BoxKeyRing"/>: <c>AddSplicerState</c> provides them.
    /// </summary>
    public static IServiceCollection AddSplicerAccess(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccessOptions>().Bind(configuration.GetSection(AccessOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AccessOptions>, AccessOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ProofReplayGuard>();
        services.AddSingleton<AccessChecker>();
        services.AddSingleton<InviteEnrollment>();
        return services;
    }
}
