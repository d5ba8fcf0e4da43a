using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Splicer.Hosting;

namespace Splicer.Tests.Host;

public sealed class LoggingTests
{
    [Fact]
    public async Task A_stalled_console_drops_log_lines_instead_of_blocking_the_socket_threads()
    {
        await using var app = SplicerHost.Build(["--Splicer:Port=0", "--Admin:Url=http://127.0.0.1:0"]);

        var console = app.Services.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value;

        Assert.Equal(ConsoleLoggerQueueFullMode.DropWrite, console.QueueFullMode);
    }
}
