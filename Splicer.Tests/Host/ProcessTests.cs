using System.Text.RegularExpressions;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Host;

/// <summary>The Splicer executable as an owner runs it: start-up, configuration errors, SIGTERM.</summary>
public sealed partial class ProcessTests
{
    private static ExternalProcess StartSplicer(params string[] settings) =>
        SplicerProgram.Start(settings);

    [Fact]
    public async Task Port_zero_binds_a_free_port_and_logs_it_then_SIGTERM_drains_and_exits_zero()
    {
        await using var splicer = StartSplicer("--Splicer:Port=0", "--Admin:Url=http://127.0.0.1:0");
        var bound = await splicer.WaitForLineAsync(line => line.Contains("Splice listener bound to"));
        var port = int.Parse(BoundPort().Match(bound).Groups[1].Value);
        await ExternalProcess.WaitForPortAsync(port);
        await splicer.WaitForLineAsync(line => line.Contains("Now listening on: http://127.0.0.1:"));

        await splicer.TerminateAsync();

        Assert.Equal(0, await splicer.WaitForExitAsync());
        Assert.Contains("draining 0 sessions", splicer.Output);
    }

    [Theory]
    [InlineData("--Splicer:Port=70000", "Splicer:Port must be between 0 and 65535")]
    [InlineData("--Splicer:MaxWaitingPerToken=0", "Splicer:MaxWaitingPerToken must be between 1 and 1000")]
    [InlineData("--Splicer:HandshakeTimeout=-00:00:01", "Splicer:HandshakeTimeout must be more than 00:00:00")]
    [InlineData("--Splicer:Address=not-an-address", "Splicer:Address must be an IPv4 or IPv6 address")]
    [InlineData("--Splicer:Port=many", "Splicer:Port")]
    public async Task Bad_configuration_stops_start_up_with_a_message_naming_the_key(string setting, string message)
    {
        await using var splicer = StartSplicer(setting, "--Admin:Url=http://127.0.0.1:0");

        Assert.Equal(2, await splicer.WaitForExitAsync());
        Assert.Contains(message, splicer.Output);
    }

    [GeneratedRegex(@"bound to \S*:(\d+) ")]
    private static partial Regex BoundPort();
}
