using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Splicer.Accept;
using Splicer.Admin;
using Splicer.Admin.Hosting;
using Splicer.Options;

namespace Splicer.Hosting;

/// <summary>Builds the whole process: the relay engine plus the admin HTTP server on Kestrel.</summary>
public static class SplicerHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });

        SocketCompletions.Apply(builder.Configuration);
        builder.Services.AddSplicerUsage(builder.Configuration);
        builder.Services.AddSplicerRelay(builder.Configuration);
        builder.Services.AddSplicerAdmin(builder.Configuration);
        builder.Services.AddSplicerAccessAdmin(builder.Configuration);

        // Under systemd: READY=1/STOPPING=1 notifications (Type=notify) and journal-friendly log lines; a no-op elsewhere.
        builder.Services.AddSystemd();

        // Log lines are queued from the socket event threads (inline completions): if stdout stalls, drop
        // lines (the logger reports how many) rather than stop every connection on that thread.
        builder.Services.Configure<ConsoleLoggerOptions>(console => console.QueueFullMode = ConsoleLoggerQueueFullMode.DropWrite);

        var admin = builder.Configuration.GetSection(AdminOptions.SectionName).Get<AdminOptions>() ?? new AdminOptions();
        builder.WebHost.UseUrls(admin.Url);

        // The host must outlive the drain, or sessions would be cut before their drain time is up.
        var drain = builder.Configuration.GetSection(SplicerOptions.SectionName).GetValue<TimeSpan?>(nameof(SplicerOptions.DrainTimeout))
                    ?? new SplicerOptions().DrainTimeout;
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = drain + TimeSpan.FromSeconds(10));

        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapSplicerAdmin();
        return app;
    }

    /// <summary>Runs until SIGTERM or Ctrl-C; a configuration error ends with a message and exit code 2.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (ConfigurationArguments.FirstNotConfiguration(args) is { } unknown)
        {
            await Console.Error.WriteLineAsync(ConfigurationArguments.Unknown(unknown));
            return 2;
        }

        try
        {
            var app = Build(args);

            // Every option is bound and validated here, before the host starts: a bad value is the one line
            // below, not the host's "Hosting failed to start" with a stack trace first.
            app.Services.GetService<IStartupValidator>()?.Validate();
            app.Services.GetService<SpliceListener>()?.Bind();
            StartupSummary.LogWhenStarted(app);
            await app.RunAsync();
            return 0;
        }
        catch (OperationCanceledException)
        {
            // SIGTERM or Ctrl-C while still starting: stopped as asked.
            return 0;
        }
        catch (PortInUseException ex)
        {
            await Console.Error.WriteLineAsync("splicer: " + ex.Message);
            return 1;
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync("Configuration error: " + string.Join(Environment.NewLine + "Configuration error: ", ex.Failures));
            return 2;
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("Splicer:") || ex.Message.Contains("Admin:") || ex.InnerException is FormatException)
        {
            await Console.Error.WriteLineAsync("Configuration error: " + ConfigurationArguments.Explain(ex.Message));
            return 2;
        }
    }
}
