using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Splicer.Accept;
using Splicer.Governance;
using Splicer.Governance.Entry;
using Splicer.State;

namespace Splicer.Hosting;

/// <summary>One line once the relay is up: who it lets in, where it listens, where its state lives.</summary>
internal static partial class StartupSummary
{
    public static void LogWhenStarted(WebApplication app) => app.Lifetime.ApplicationStarted.Register(() =>
    {
        var services = app.Services;
        LogStarted(
            services.GetRequiredService<ILoggerFactory>().CreateLogger("Splicer.Started"),
            services.GetRequiredService<IOptions<AccessOptions>>().Value.Mode,
            services.GetService<SpliceListener>()?.LocalEndPoint?.ToString() ?? "none",
            string.Join(' ', app.Urls),
            services.GetService<StateDirectory>()?.Path ?? "none (state off)");
    });

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Splicer is up: access mode {Mode}, splice port {Splice}, admin {Admin}, state in {State}")]
    private static partial void LogStarted(ILogger logger, AccessMode mode, string splice, string admin, string state);
}
