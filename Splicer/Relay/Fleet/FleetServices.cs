using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Splicer.Fleet;

public static class FleetServices
{
    /// <summary>
    /// Registers fleet membership when <c>Splicer:Fleet:Nats</c> is set; the node's load comes from
    /// <typeparamref name="TLoad"/>. Without it nothing of NATS is started.
    /// </summary>
    public static IServiceCollection AddSplicerFleet<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TLoad>(this IServiceCollection services, IConfiguration configuration)
        where TLoad : class, INodeLoad
    {
        services.AddOptions<FleetOptions>().Bind(configuration.GetSection(FleetOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FleetOptions>, FleetOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<FleetMembers>();
        if (new FleetOptions { Nats = configuration[$"{FleetOptions.SectionName}:Nats"] }.Enabled)
        {
            services.AddSingleton<INodeLoad, TLoad>();
            services.AddHostedService<FleetMembership>();
        }

        return services;
    }
}
