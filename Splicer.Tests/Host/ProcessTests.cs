using System.Net;
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

    [Fact]
    public async Task A_second_relay_on_a_taken_splice_port_exits_1_and_the_first_keeps_every_connection()
    {
        await using var first = StartSplicer("--Splicer:Port=0", "--Admin:Url=http://127.0.0.1:0", "--Splicer:StateDirectory=" + StateFolder());
        var port = await BoundPortAsync(first);
        var relay = new IPEndPoint(IPAddress.Loopback, port);
        using var before = await TestClient.PairAsync(relay);

        await using (var second = StartSplicer($"--Splicer:Port={port}", "--Admin:Url=http://127.0.0.1:0", "--Splicer:StateDirectory=" + StateFolder()))
        {
            Assert.Equal(1, await second.WaitForExitAsync());
            Assert.Contains($"port {port} is in use by another process", second.Output);
            Assert.DoesNotContain("   at ", second.Output);
        }

        // Every new connection still reaches the first relay (a second one sharing the port would take some).
        for (var i = 0; i < 20; i++)
        {
            using var pair = await TestClient.PairAsync(relay);
            await pair.A.SendAsync("ping\n");
            Assert.Equal("ping\n", await pair.B.ReadLineAsync());
        }

        await before.A.SendAsync("still here\n");
        Assert.Equal("still here\n", await before.B.ReadLineAsync());
    }

    [Fact]
    public async Task A_relay_restarted_at_once_binds_its_port_over_connections_in_time_wait()
    {
        int port;
        await using (var first = StartSplicer("--Splicer:Port=0", "--Admin:Url=http://127.0.0.1:0", "--Splicer:StateDirectory=" + StateFolder()))
        {
            port = await BoundPortAsync(first);
            using (var pair = await TestClient.PairAsync(new IPEndPoint(IPAddress.Loopback, port)))
            {
                await pair.A.SendAsync("ping\n");
                Assert.Equal("ping\n", await pair.B.ReadLineAsync());
            }

            await first.TerminateAsync();
            Assert.Equal(0, await first.WaitForExitAsync());
        }

        await using var again = StartSplicer($"--Splicer:Port={port}", "--Admin:Url=http://127.0.0.1:0", "--Splicer:StateDirectory=" + StateFolder());
        Assert.Equal(port, await BoundPortAsync(again));
    }

    private static async Task<int> BoundPortAsync(ExternalProcess splicer)
    {
        var bound = await splicer.WaitForLineAsync(line => line.Contains("Splice listener bound to"));
        var port = int.Parse(BoundPort().Match(bound).Groups[1].Value);
        await ExternalProcess.WaitForPortAsync(port);
        return port;
    }

    private static string StateFolder() => Directory.CreateTempSubdirectory("splicer-port-").FullName;

    [GeneratedRegex(@"bound to \S*:(\d+) ")]
    private static partial Regex BoundPort();
}
