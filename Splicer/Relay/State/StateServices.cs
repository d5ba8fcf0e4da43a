using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Splicer.Access;
using Splicer.Governance;
using Splicer.Governance.Entry;

namespace Splicer.State;

public static class StateServices
{
    /// <summary>The folder under the state directory that holds ASP.NET DataProtection keys (antiforgery, cookies).</summary>
    public const string DataProtectionFolder = "data-protection-keys";

    /// <summary>
    /// Registers the state directory and its contents: the SQLite database (opened and migrated at start
    /// by a hosted service, or at first use), its stores, the box key ring, and DataProtection keys
    /// persisted there so antiforgery tokens survive a restart.
    /// </summary>
    public static IServiceCollection AddSplicerState(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(service => service.ServiceType == typeof(StateDatabase)))
        {
            // Registered already (the relay and the admin may both ask for it).
            return services;
        }

        services.AddOptions<StateOptions>().Bind(configuration.GetSection(StateOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StateOptions>, StateOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton(provider => new StateDirectory(provider.GetRequiredService<IOptions<StateOptions>>().Value.ResolveDirectory()!).EnsureExists());
        services.AddSingleton<StateDatabase>();
        services.AddSingleton<IdentityStore>();
        services.AddSingleton<DoorStore>();
        services.AddSingleton<InviteStore>();
        services.AddSingleton<IInviteRedeemer>(provider => provider.GetRequiredService<InviteStore>());
        services.AddSingleton<AuditLog>();
        services.AddSingleton<SqliteAccessDirectory>();
        services.AddSingleton<CachedAccessDirectory>();
        services.AddSingleton<IAccessDirectory>(provider => provider.GetRequiredService<CachedAccessDirectory>());
        services.AddSingleton<IAccessChanges>(provider => provider.GetRequiredService<SqliteAccessDirectory>());
        services.AddSingleton<IDoorAllowance>(provider => provider.GetRequiredService<DoorStore>());
        services.AddSingleton(LoadBoxKeys);
        services.AddSingleton<IBoxPublicKeys>(provider => provider.GetRequiredService<BoxKeyRing>());
        services.AddHostedService<StateStartup>();

        // The folder is read from configuration here, at registration, as PersistKeysToFileSystem wants
        // it; a state directory that does not resolve is left to the validator, which stops the start.
        // The keys are readable by the owner only through the state directory's own mode (0700).
        var stateFolder = TryResolve(configuration.GetSection(StateOptions.SectionName).Get<StateOptions>() ?? new StateOptions());
        var dataProtection = services.AddDataProtection().SetApplicationName("Splicer");
        if (stateFolder is not null)
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(stateFolder, DataProtectionFolder)));
        }

        return services;
    }

    private static string? TryResolve(StateOptions options)
    {
        try
        {
            return options.ResolveDirectory();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static BoxKeyRing LoadBoxKeys(IServiceProvider provider)
    {
        var directory = provider.GetRequiredService<StateDirectory>().EnsureExists();
        var lifetime = provider.GetRequiredService<IOptions<AccessOptions>>().Value.CredentialLifetime;
        return BoxKeyRing.LoadOrCreate(directory.Path, lifetime, provider.GetRequiredService<TimeProvider>());
    }
}

/// <summary>Opens and migrates the database and loads the box key at start, so a problem stops the start with its message.</summary>
internal sealed class StateStartup(StateDatabase database, BoxKeyRing boxKeys) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _ = boxKeys.Current;
        await database.OpenAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
