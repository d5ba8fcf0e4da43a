using System.CommandLine;
using System.Net;
using Splicer.Client.Framing;
using Splicer.Client.Tunnel;

namespace Splicer.Client.Verbs;

/// <summary><c>splicer expose PORT</c> and <c>splicer connect CODE --listen PORT</c>: a TCP service reached through the relay.</summary>
internal static class CliTunnel
{
    public static Command Expose()
    {
        var options = new ClientOptions();
        var port = PortArgument("PORT", "The local TCP port of the service to reach from the other side");
        var host = new Option<string>("--host") { Description = "The service's address (default 127.0.0.1)", HelpName = "ADDRESS", DefaultValueFactory = _ => "127.0.0.1" };
        host.Validators.Add(result =>
        {
            if (!IPAddress.TryParse(result.GetValueOrDefault<string>(), out _))
            {
                result.AddError("--host must be an IP address.");
            }
        });
        var code = ClientOptions.CodeOption("Use this code instead of a fresh one");
        var expose = new Command("expose", VerbText.Described(
            "Makes a local TCP service reachable from 'splicer connect CODE' on the other side (as ssh -R does), end-to-end encrypted: "
            + "each connection there is its own pair through the relay. Runs until stopped; after a relay restart it waits and reconnects.",
            "splicer expose 22", "splicer expose 8080 --code CODE"))
        {
            port, host, code,
        };
        options.AddTo(expose);
        expose.SetAction(async (parse, cancellationToken) =>
        {
            using var relay = options.Target(parse);
            relay.Waiting = null; // the service waits for connections as long as it runs
            var service = new IPEndPoint(IPAddress.Parse(parse.GetValue(host)!), parse.GetValue(port));
            Console.Error.WriteLine($"Exposing {service} through {relay.Address}.");
            var pairing = ClientOptions.GivenOrAnnounced(parse.GetValue(code), options.OtherSide(parse, "splicer connect"));
            await new ExposeService(relay, new TunnelCode(new CodeKeys(pairing)), service).RunAsync(cancellationToken);
            return CliExit.Ok;
        });
        return expose;
    }

    public static Command Connect()
    {
        var options = new ClientOptions();
        var code = ClientOptions.CodeArgument("The code 'splicer expose' printed on the other side");
        var listen = new Option<int>("--listen")
        {
            Description = "The local port to listen on, on 127.0.0.1 (default: a free one, printed)",
            HelpName = "LOCALPORT",
        }.Between(0, 65535);
        var connect = new Command("connect", VerbText.Described(
            "Listens on a local port; every connection to it reaches the service 'splicer expose' offers on the other side (as ssh -L does), "
            + "end-to-end encrypted, each connection its own pair through the relay.",
            "splicer connect CODE --listen 2222", "ssh -p 2222 localhost"))
        {
            code, listen,
        };
        options.AddTo(connect);
        connect.SetAction(async (parse, cancellationToken) =>
        {
            using var relay = options.Target(parse);
            var tunnel = new TunnelCode(new CodeKeys(PairingCode.Parse(parse.GetValue(code)!)));
            await using var service = new ConnectService(relay, tunnel, ConnectService.Listen(parse.GetValue(listen), out var bound));
            Console.Error.WriteLine($"Listening on 127.0.0.1:{bound}.");
            await service.RunAsync(cancellationToken);
            return CliExit.Ok;
        });
        return connect;
    }

    private static Argument<int> PortArgument(string name, string description)
    {
        return new Argument<int>(name) { Description = description }.Between(1, 65535);
    }
}
