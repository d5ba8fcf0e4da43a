using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using Splicer.Admin.Api;
using Splicer.Client;
using Splicer.Hosting;

namespace Splicer.Cli;

/// <summary>
/// The <c>splicer</c> program's verbs: <c>serve</c> (the relay; also what runs with no verb), and the
/// owner's <c>door</c>, <c>identity</c> and <c>audit</c> verbs, which talk to the admin API over HTTP.
/// Exit codes: 0 ok, 1 failed (the admin refused or could not be reached), 2 usage.
/// </summary>
internal static class SplicerCli
{
    private static readonly string[] Verbs = ["serve", "door", "identity", "audit", "key", "join", "code", "pipe", "send", "receive", "expose", "connect", "map"];
    private static readonly string[] HelpAndVersion = ["-h", "--help", "-?", "/?", "/h", "--version"];

    /// <summary>
    /// Whether <paramref name="args"/> start the server as they always did: no verb, only configuration
    /// (<c>--Splicer:Port=0</c>, <c>Admin:Url=…</c>), so the systemd unit and old command lines keep working.
    /// </summary>
    public static bool IsPlainServe(string[] args) =>
        args.Length == 0 || (!Verbs.Contains(args[0]) && !HelpAndVersion.Contains(args[0]) && (args[0].StartsWith('-') || args[0].StartsWith('/') || args[0].Contains('=')));

    public static async Task<int> RunAsync(string[] args)
    {
        var root = Build();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync(error.Message);
            }

            var path = string.Join(' ', CommandPath(parse.CommandResult));
            await Console.Error.WriteLineAsync($"Run '{path} --help' for usage.");
            return CliExit.Usage;
        }

        try
        {
            // SIGTERM and Ctrl-C are the host's to handle (a drain, then exit 0); System.CommandLine's own
            // handler would race it and could end the process with 143 first.
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (CliFailure failure)
        {
            await Console.Error.WriteLineAsync("splicer: " + failure.Message);
            return failure.ExitCode;
        }
        catch (ClientFailure failure)
        {
            await Console.Error.WriteLineAsync("splicer: " + failure.Message);
            return failure.ExitCode;
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            // A file the client verbs read or write (a folder to send, a place to receive into, the client folder).
            await Console.Error.WriteLineAsync("splicer: " + failure.Message);
            return CliExit.Failed;
        }
    }

    private static IEnumerable<string> CommandPath(CommandResult? command)
    {
        var names = new Stack<string>();
        for (var result = command; result is not null; result = result.Parent as CommandResult)
        {
            names.Push(result.Command is RootCommand ? "splicer" : result.Command.Name);
        }

        return names;
    }

    private static RootCommand Build()
    {
        var root = new RootCommand(Described(
            "Splicer: a TCP rendezvous relay. With no verb, or with only configuration arguments, it runs the relay (serve).",
            "splicer --Splicer:Port=4001",
            "splicer door open --duration 30m --from 203.0.113.0/24",
            "splicer door list --json",
            "splicer join splicer-invite.AQ…",
            "splicer send ./photos"));
        root.Subcommands.Add(Serve());
        root.Subcommands.Add(CliDoors.Command());
        root.Subcommands.Add(CliIdentities.Command());
        root.Subcommands.Add(CliAudit.Command());
        root.Subcommands.Add(CliKey.Command());
        root.Subcommands.Add(CliJoin.Join());
        root.Subcommands.Add(CliJoin.Code());
        root.Subcommands.Add(CliPipe.Command());
        root.Subcommands.Add(CliTransfer.Send());
        root.Subcommands.Add(CliTransfer.Receive());
        root.Subcommands.Add(CliTunnel.Expose());
        root.Subcommands.Add(CliTunnel.Connect());
        root.Subcommands.Add(CliMap.Command());
        root.Subcommands.Add(CliPunchProbe.Probe());
        return root;
    }

    private static Command Serve()
    {
        var serve = new Command("serve", Described(
            "Runs the relay and its admin (the default when no verb is given). Takes configuration as --Section:Key=value, "
            + "like appsettings.json and environment variables (Splicer__Port=4001).",
            "splicer serve --Splicer:Port=4001 --Admin:Url=http://127.0.0.1:8080"))
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        serve.SetAction((parse, _) => SplicerHost.RunAsync([.. parse.UnmatchedTokens]));
        return serve;
    }

    /// <summary>A description followed by examples, as <c>--help</c> shows it.</summary>
    public static string Described(string description, params string[] examples) =>
        description + Environment.NewLine + Environment.NewLine
        + (examples.Length == 1 ? "Example:" : "Examples:") + Environment.NewLine
        + string.Join(Environment.NewLine, examples.Select(example => "  " + example));

    /// <summary>The options every admin verb takes: where the admin is and the credential.</summary>
    public sealed class AdminOptions
    {
        public Option<string?> Admin { get; } = new("--admin")
        {
            Description = "The admin's URL (default: Admin:Url from appsettings.json or Admin__Url, else http://127.0.0.1:8080)",
            HelpName = "URL",
        };

        public Option<string?> Token { get; } = new("--token")
        {
            Description = $"The admin's bearer token (default: ${AdminConnection.TokenVariable}, else Admin:BearerToken; "
                + $"or the password from ${AdminConnection.PasswordVariable} or Admin:Password)",
            HelpName = "TOKEN",
        };

        public void AddTo(Command command)
        {
            command.Options.Add(Admin);
            command.Options.Add(Token);
        }

        public AdminClient Connect(ParseResult parse) =>
            new(AdminConnection.Resolve(parse.GetValue(Admin), parse.GetValue(Token)));
    }

    public static Option<bool> JsonOption() => new("--json") { Description = "Print the admin's JSON answer instead of a table (for scripts)" };

    /// <summary>An identity or door id argument: a positive number.</summary>
    public static Argument<long> IdArgument(string what)
    {
        var id = new Argument<long>("ID") { Description = $"The {what}'s id (see 'splicer {what} list')" };
        id.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<long>() < 1)
            {
                result.AddError($"ID must be a positive number (a {what} id).");
            }
        });
        return id;
    }

    /// <summary>Adds a check that <paramref name="option"/>'s text reads as <paramref name="reads"/> wants; else a usage error.</summary>
    public static Option<string?> Checked(this Option<string?> option, Func<string, bool> reads, string expected)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text && !reads(text))
            {
                result.AddError($"{option.Name} {expected} (was '{text}').");
            }
        });
        return option;
    }

    public static bool IsDuration(string text) => AdminText.TryParseDuration(text, out _);
}
