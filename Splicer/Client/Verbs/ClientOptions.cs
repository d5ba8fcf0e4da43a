using System.CommandLine;
using Splicer.Client.Config;
using Splicer.Client.Framing;
using Splicer.Client.Links;
using Splicer.Client.Paths.DirectLeg;
using Splicer.Client.Paths.RelayLeg;

namespace Splicer.Client.Verbs;

/// <summary>What every client verb shares: <c>--relay</c>, <c>--transport</c>, <c>--ca</c>, the client folder, and a relay chosen from them.</summary>
internal sealed class ClientOptions
{
    public ClientOptions()
    {
        Transport.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text && !RelayAddress.TryParseTransport(text, out _))
            {
                result.AddError($"--transport must be tcp, tls, ws or wss (was '{text}').");
            }
        });
    }

    public Option<string?> Relay { get; } = new("--relay")
    {
        Description = "The relay: a URL such as tcp://relay.example.net:4001, tls://…, ws://…/ or wss://…/, or the name of a joined relay "
            + "(default: the default joined relay)",
        HelpName = "URL",
    };

    public Option<string?> Transport { get; } = new("--transport")
    {
        Description = "Reach the relay's host and port over this transport instead of the URL's: tcp, tls, ws or wss "
            + "(wss gets through networks that let out only HTTPS)",
        HelpName = "tcp|tls|ws|wss",
    };

    public Option<string?> Ca { get; } = new("--ca")
    {
        Description = "For tls and wss: trust only certificates that chain to the PEM certificates in this file (a private CA or a self-signed relay) "
            + "instead of the system's roots",
        HelpName = "FILE",
    };

    public Option<bool> RelayOnly { get; } = new("--relay-only")
    {
        Description = "Keep every byte on the relay: do not try a direct path to the peer",
    };

    public Option<bool> DirectOnly { get; } = new("--direct-only")
    {
        Description = "Fail unless a direct path to the peer comes up (no byte of the stream through the relay; needs a joined relay)",
    };

    /// <summary>Hidden, for the NAT lab: this side dials the peer this many milliseconds after the broker's advice says.</summary>
    public Option<int> PunchDelay { get; } = new("--punch-delay") { Hidden = true, HelpName = "MS" };

    /// <summary>Hidden, for the NAT lab: how many sockets this side opens when birthday probing (one port-changing NAT).</summary>
    public Option<int> BirthdaySockets { get; } = new("--birthday-sockets")
    {
        Hidden = true,
        HelpName = "N",
        DefaultValueFactory = _ => DirectPathOptions.Default.BirthdaySockets,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Relay);
        command.Options.Add(Transport);
        command.Options.Add(Ca);
        command.Options.Add(RelayOnly);
        command.Options.Add(DirectOnly);
        command.Options.Add(PunchDelay);
        command.Options.Add(BirthdaySockets);
        command.Validators.Add(result =>
        {
            if (result.GetValue(RelayOnly) && result.GetValue(DirectOnly))
            {
                result.AddError("--relay-only and --direct-only cannot be used together.");
            }

            if (result.GetValue(BirthdaySockets) is < 0 or > DirectPathOptions.MaxBirthdaySockets)
            {
                result.AddError($"--birthday-sockets must be 0 to {DirectPathOptions.MaxBirthdaySockets}.");
            }
        });
    }

    public RelayTarget Target(ParseResult parse)
    {
        RelayTransport? transport = parse.GetValue(Transport) is { } text && RelayAddress.TryParseTransport(text, out var parsed) ? parsed : null;
        var target = RelayTarget.Resolve(parse.GetValue(Relay), ClientDirectory.Default(), transport, RelayTrust.FromFile(parse.GetValue(Ca)));
        target.Path = parse.GetValue(DirectOnly) ? PathChoice.DirectOnly : parse.GetValue(RelayOnly) ? PathChoice.RelayOnly : PathChoice.Auto;
        target.Waiting = waited => Console.Error.WriteLine(
            $"waiting for the other side ({(int)waited.TotalMinutes}:{waited.Seconds:00})… — check that both typed the same code");
        target.Punch = DirectPathOptions.Default with
        {
            ExtraDelay = TimeSpan.FromMilliseconds(Math.Max(0, parse.GetValue(PunchDelay))),
            BirthdaySockets = parse.GetValue(BirthdaySockets),
        };
        return target;
    }

    /// <summary>A CODE argument: the words another side printed (optional: null when not given).</summary>
    public static Argument<string> CodeArgument(string description, bool optional = false)
    {
        var argument = new Argument<string>("CODE") { Description = description, Arity = optional ? ArgumentArity.ZeroOrOne : ArgumentArity.ExactlyOne };
        argument.Validators.Add(result => CheckCode(result, result.GetValueOrDefault<string?>(), "CODE"));
        return argument;
    }

    /// <summary><c>--code CODE</c>: use this code instead of a fresh one.</summary>
    public static Option<string?> CodeOption(string description)
    {
        var option = new Option<string?>("--code") { Description = description, HelpName = "CODE" };
        option.Validators.Add(result => CheckCode(result, result.GetValueOrDefault<string?>(), "--code"));
        return option;
    }

    /// <summary>The command the other side runs: <paramref name="verb"/>, with this side's <c>--relay</c> when one was given.</summary>
    public string OtherSide(ParseResult parse, string verb) =>
        parse.GetValue(Relay) is { } relay ? $"{verb} --relay {relay}" : verb;

    /// <summary>The code given, or a fresh one announced on stderr for the <paramref name="otherSide"/> command.</summary>
    public static PairingCode GivenOrAnnounced(string? given, string otherSide)
    {
        if (given is not null)
        {
            return PairingCode.Parse(given);
        }

        var code = PairingCode.Create();
        Announce(code, otherSide);
        return code;
    }

    public static Option<bool> NoEncryption() => new("--no-encryption")
    {
        Description = "Send the bytes as they are, without end-to-end protection (for measuring the relay; the relay can read and change them)",
    };

    public static PairingCode Code(string text) => PairingCode.Parse(text);

    /// <summary>Prints the code for the other side on stderr (stdout may be data).</summary>
    public static void Announce(PairingCode code, string otherSide) =>
        Console.Error.WriteLine($"Code: {code.Text()}{Environment.NewLine}On the other side: {otherSide} {code.Text()}");

    private static void CheckCode(System.CommandLine.Parsing.SymbolResult result, string? text, string name)
    {
        if (text is not null && !PairingCode.TryParse(text, out _, out var problem))
        {
            result.AddError($"{name}: {problem}.");
        }
    }
}
