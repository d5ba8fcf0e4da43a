using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Splicer.Governance;
using Splicer.Governance.Entry;
using Splicer.State;

namespace Splicer.Tests.State;

/// <summary>The registrations the host will call, and the options validators that name their keys.</summary>
public sealed class StateServicesTests : IDisposable
{
    private readonly StateFolder _folder = new();

    [Fact]
    public async Task Starting_migrates_the_database_loads_the_box_key_and_keeps_data_protection_keys_in_the_state_directory()
    {
        await using (var provider = Build(new() { ["Splicer:StateDirectory"] = _folder.Path }))
        {
            foreach (var service in provider.GetServices<IHostedService>())
            {
                await service.StartAsync(CancellationToken.None);
            }

            Assert.Equal(StateMigrations.Latest, await provider.GetRequiredService<StateDatabase>().SchemaVersionAsync(CancellationToken.None));
            Assert.True(File.Exists(Path.Combine(_folder.Path, BoxKeyRing.KeyFileName)));
            provider.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("hello");
        }

        Assert.NotEmpty(Directory.GetFiles(Path.Combine(_folder.Path, StateServices.DataProtectionFolder), "*.xml"));
    }

    [Fact]
    public async Task Data_protected_by_one_process_is_readable_by_the_next()
    {
        var settings = new Dictionary<string, string?> { ["Splicer:StateDirectory"] = _folder.Path };
        string protectedText;
        await using (var first = Build(settings))
        {
            protectedText = first.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("hello");
        }

        await using var second = Build(settings);
        Assert.Equal("hello", second.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedText));
    }

    [Theory]
    [InlineData("Splicer:Access:Mode", "Sometimes")]
    [InlineData("Splicer:Access:ClockSkew", "00:00:00")]
    [InlineData("Splicer:Access:RelayName", "has space")]
    [InlineData("Splicer:Access:CredentialLifetime", "00:00:01")]
    public async Task A_bad_access_setting_is_refused_naming_its_key(string key, string value)
    {
        await using var provider = Build(new() { ["Splicer:StateDirectory"] = _folder.Path, [key] = value });

        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IOptions<AccessOptions>>().Value);
        Assert.Contains(key, error.Message);
    }

    [Fact]
    public async Task A_state_directory_that_is_a_file_is_refused_naming_the_key()
    {
        Directory.CreateDirectory(_folder.Path);
        var file = Path.Combine(_folder.Path, "a-file");
        await File.WriteAllTextAsync(file, "");
        await using var provider = Build(new() { ["Splicer:StateDirectory"] = file });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<StateOptions>>().Value);
        Assert.Contains("Splicer:StateDirectory", error.Message);
    }

    public void Dispose() => _folder.Dispose();

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddSplicerState(configuration).AddSplicerAccess(configuration).BuildServiceProvider();
    }
}
