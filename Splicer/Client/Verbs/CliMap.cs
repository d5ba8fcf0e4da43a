using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Splicer.Client.Failures;
using Splicer.Client.PortMapping;
using Splicer.Text;

namespace Splicer.Client.Verbs;

/// <summary><c>splicer map [--port N] [--lifetime 60s]</c>: asks this LAN's router for a port mapping, shows it, removes it on Ctrl+C.</summary>
internal static class CliMap
{
    // The longest lifetime asked for; the gateway grants what it will.
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(366);

    private static readonly Dictionary<string, PortMappingProtocol> ProtocolNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["pcp"] = PortMappingProtocol.Pcp,
        ["nat-pmp"] = PortMappingProtocol.NatPmp,
        ["upnp"] = PortMappingProtocol.Upnp,
    };

    public static Command Command()
    {
        var port = new Option<int>("--port")
        {
            Description = "The local TCP port to map (default: a free one)",
            HelpName = "N",
        }.Between(0, 65535);
        var lifetime = new Option<string?>("--lifetime")
        {
            Description = "The lifetime to ask for, such as 60s or 10m (the router may grant another; renewed while this runs)",
            HelpName = "DURATION",
        }.Checked(text => Durations.TryParse(text, MaxLifetime, out var duration) && duration >= TimeSpan.FromSeconds(1), "must be a duration of 1s or more, such as 60s or 10m");
        var protocol = new Option<string?>("--protocol")
        {
            Description = "Try only this protocol: pcp, nat-pmp or upnp (default: all three, in that order)",
            HelpName = "NAME",
        }.Checked(ProtocolNames.ContainsKey, "must be pcp, nat-pmp or upnp");
        var gateway = new Option<string?>("--gateway")
        {
            Description = "The router's address (default: the default route's next hop)",
            HelpName = "ADDRESS",
        }.Checked(text => IPAddress.TryParse(text, out _), "must be an IP address");
        var map = new Command("map", VerbText.Described(
            "Asks this network's router for an inbound TCP port mapping (PCP, then NAT-PMP, then UPnP-IGD), prints what it got "
            + "(protocol and external address:port) or why not, keeps it renewed, and removes it on Ctrl+C. "
            + "Exit code 1 when no protocol gave a mapping.",
            "splicer map", "splicer map --port 4001 --lifetime 10m", "splicer map --protocol upnp"))
        {
            port, lifetime, protocol, gateway,
        };
        map.SetAction(async (parse, cancellationToken) =>
        {
            Durations.TryParse(parse.GetValue(lifetime) ?? "60s", MaxLifetime, out var asked);
            var options = new PortMapperOptions
            {
                Gateway = parse.GetValue(gateway) is { } address ? IPAddress.Parse(address) : null,
                Protocols = parse.GetValue(protocol) is { } name ? [ProtocolNames[name]] : new PortMapperOptions().Protocols,
            };
            using var logging = LoggerFactory.Create(builder => builder
                .SetMinimumLevel(LogLevel.Warning)
                .AddSimpleConsole(console => console.SingleLine = true)
                .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
            var localPort = parse.GetValue(port) is > 0 and var given ? given : FreePort();
            await RunAsync(new PortMapper(options, logging.CreateLogger("splicer")), localPort, asked, cancellationToken);
            return CliExit.Ok;
        });
        return map;
    }

    private static async Task RunAsync(PortMapper mapper, int localPort, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        PortMappingAttempt attempt;
        try
        {
            attempt = await mapper.MapAsync(localPort, lifetime, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            throw new ClientFailure("interrupted before the router answered");
        }

        if (attempt.Mapping is not { } mapping)
        {
            throw new ClientFailure("the router gave no port mapping:" + string.Concat(attempt.Failures.Select(failure => Environment.NewLine + "  " + failure)));
        }

        await using (mapping)
        {
            var granted = mapping.Lifetime == TimeSpan.Zero ? "a permanent lease" : $"lifetime {mapping.Lifetime.TotalSeconds:0}s";
            Console.WriteLine($"{mapping.Protocol.Name()} {mapping.ExternalEndPoint} -> local port {mapping.LocalPort} (router {mapping.Gateway}, {granted})");
            foreach (var failure in attempt.Failures)
            {
                Console.Error.WriteLine($"(tried first: {failure})");
            }

            Console.Error.WriteLine("Keeping the mapping; Ctrl+C removes it.");
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        Console.Error.WriteLine("Removed the mapping.");

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Any, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
