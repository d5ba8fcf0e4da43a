using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Host;

/// <summary>The relay at the process's file descriptor limit: it says so at start, and a flood past it knocks nothing over.</summary>
public sealed class DescriptorLimitTests
{
    [Fact]
    public async Task A_connection_limit_above_the_fd_limit_is_clamped_with_a_warning_naming_the_key()
    {
        var (program, arguments) = SplicerProgram.Command(["--Splicer:Port=0", "--Admin:Url=http://127.0.0.1:0"]);
        await using var splicer = ExternalProcess.Start("prlimit", ["--nofile=1000:1000", program, .. arguments]);

        var warning = await splicer.WaitForLineAsync(line => line.Contains("does not fit the open-files limit"));

        // What is left after the descriptors open at start and the admin's, state files' and pipes' share.
        var clamp = System.Text.RegularExpressions.Regex.Match(warning,
            @"Splicer:MaxConnections 100000 does not fit the open-files limit 1000; using (\d+) \(the limit less (\d+) open at start and 224 kept");
        Assert.True(clamp.Success, warning);
        Assert.Equal(1000 - 224, int.Parse(clamp.Groups[1].Value) + int.Parse(clamp.Groups[2].Value));
    }

    [Fact]
    public async Task A_flood_past_the_fd_limit_is_refused_with_a_line_while_running_sessions_go_on_and_pairing_recovers()
    {
        var port = FreePort.Next();
        await using var splicer = SplicerProgram.Start(
            [$"--Splicer:Port={port}", "--Splicer:Address=127.0.0.1", "--Admin:Url=http://127.0.0.1:0",
                "--Splicer:RefusalLogInterval=00:00:01"]);
        await ExternalProcess.WaitForPortAsync(port);
        await splicer.WaitForLineAsync(line => line.Contains("Application started"));
        var relay = new IPEndPoint(IPAddress.Loopback, port);
        using var session = await TestClient.PairAsync(relay);

        // Room for a few dozen more descriptors, then none: accept starts failing for real.
        var inUse = Directory.GetFiles($"/proc/{splicer.Id}/fd").Length;
        await SetDescriptorLimitAsync(splicer.Id, inUse + 32);

        var lines = await FloodAsync(relay, 300);

        Assert.All(lines, line => Assert.True(line == "bad handshake\n" || line.StartsWith("refused relay_full "), $"unexpected reply '{line}'"));
        Assert.Contains(lines, line => line.StartsWith("refused relay_full "));
        await session.A.SendAsync("still flowing");
        Assert.Equal("still flowing"u8.ToArray(), await session.B.ReadExactlyAsync(13));
        Assert.InRange(splicer.ResidentMegabytes, 1, 400);
        await splicer.WaitForLineAsync(line => line.Contains("Out of file descriptors"));
        var summary = await splicer.WaitForLineAsync(line => line.Contains("Refused ") && line.Contains("relay_full"));
        Assert.Contains("127.0.0.1/32", summary);
        Assert.DoesNotContain("ended refused", splicer.Output);

        await Patience.UntilAsync(() => PairsAsync(relay), "pairing to work again after the flood");
    }

    /// <summary>Connects all clients first (the kernel queues them), then each sends nonsense and reads what the relay answers.</summary>
    private static async Task<string[]> FloodAsync(IPEndPoint relay, int count)
    {
        var clients = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => TestClient.ConnectAsync(relay)));
        return await Task.WhenAll(clients.Select(async client =>
        {
            using (client)
            {
                try
                {
                    await client.SendAsync("nonsense\n");
                }
                catch (SocketException)
                {
                    // Refused and closed before it spoke; the line is still there to read.
                }

                return await client.ReadLineAsync();
            }
        }));
    }

    private static async Task<bool> PairsAsync(IPEndPoint relay)
    {
        var token = Pairing.NewToken();
        using var first = await TestClient.RequestAsync(relay, token, Pairing.NewSide());
        using var second = await TestClient.RequestAsync(relay, token, Pairing.NewSide());
        return await first.ReadLineAsync() == "ok\n" && await second.ReadLineAsync() == "ok\n";
    }

    private static async Task SetDescriptorLimitAsync(int pid, int limit)
    {
        using var prlimit = Process.Start("prlimit", ["--pid", pid.ToString(), $"--nofile={limit}:{limit}"]);
        await prlimit.WaitForExitAsync().WithPatience();
        Assert.Equal(0, prlimit.ExitCode);
    }
}
