using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Splicer.Admin;
using Splicer.Admin.Hosting;
using Splicer.Administration;
using Splicer.Governance.Entry;
using Splicer.State;

namespace Splicer.Hosting;

public static class AccessAdminServices
{
    /// <summary>
    /// Registers what the admin's identity, door and audit calls need: the state store and the access
    /// services (unless the relay registered them already) and the engine's <see cref="IAccessAdmin"/>.
    /// </summary>
    public static IServiceCollection AddSplicerAccessAdmin(this IServiceCollection services, IConfiguration configuration)
    {
        // Each registers once, whoever asks first.
        services.AddSplicerState(configuration);
        services.AddSplicerAccess(configuration);
        services.AddOptions<InviteAddressOptions>().Bind(configuration.GetSection("Splicer:Access"));
        services.TryAddSingleton<IAccessAdmin, AccessAdmin>();
        services.TryAddSingleton<IAdminAudit, AdminAudit>();

        // Uploaded update bundles and requests to the appliance's update service live with the state.
        services.AddOptions<AdminOptions>().PostConfigure<IOptions<StateOptions>>((admin, state) =>
            admin.Update.Directory ??= state.Value.ResolveDirectory() is { } directory ? Path.Combine(directory, "update") : null);
        return services;
    }
}
