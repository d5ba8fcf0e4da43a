using System.CommandLine;
using Splicer.Admin;
using Splicer.Admin.Api;
using Splicer.Client.Verbs;
using Splicer.Hosting;

namespace Splicer.Cli;

/// <summary>
/// The <c>splicer</c> program's verbs: <c>serve</c> (the relay; also what runs with no verb), and the
/// owner's <c>door</c>, <c>identity</c> and <c>audit</c> verbs, which talk to the admin API over HTTP.
/// Exit codes: 0 ok, 1 failed (the admin refused or could not be reached), 2 usage.
/// </summary>
internal static class SplicerCli
{
    private static readonly string[] HelpAndVersion = ["-h", "--help", "-?", "/?", "/h", "--version"];

    /// <summary>
    /// Whether <paramref name="args"/> start the server as they always did: no verb, only configuration
    /// (<c>--Splicer:Port=0</c>, <c>Admin:Url=…</c>), so the systemd unit and old command lines keep working.
    /// </summary>
    public static bool IsPlainServe(string[] args) =>
        args.Length == 0 || (!IsVerb(args[0]) && !HelpAndVersion.Contains(args[0]) && (args[0].StartsWith('-') || args[0].StartsWith('/') || args[0].Contains('=')));

    public static Task<int> RunAsync(string[] args) => CliRunner.RunAsync(Build(), args);

    private static bool IsVerb(string word) => Build().Subcommands.Any(verb => verb.Name == word || verb.Aliases.Contains(word));

    internal static RootCommand Build()
    {
        var root = new RootCommand(VerbText.Described(
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
        foreach (var verb in ClientVerbs.All())
        {
            root.Subcommands.Add(verb);
        }

        return root;
    }

    private static Command Serve()
    {
        var serve = new Command("serve", VerbText.Described(
            "Runs the relay and its admin (the default when no verb is given). Takes configuration as --Section:Key=value, "
            + "like appsettings.json and environment variables (Splicer__Port=4001).",
            "splicer serve --Splicer:Port=4001 --Admin:Url=http://127.0.0.1:8080"))
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        serve.SetAction((parse, _) => SplicerHost.RunAsync([.. parse.UnmatchedTokens]));
        return serve;
    }

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
            Description = $"The admin's bearer token; ps shows it to every user, so prefer --token-file or ${AdminConnection.TokenVariable} "
                + $"(default: --token-file, ${AdminConnection.TokenVariable}, ${AdminConnection.TokenFileVariable}, Admin:BearerToken, Admin:BearerTokenFile; "
                + $"else the password from ${AdminConnection.PasswordVariable} or Admin:Password)",
            HelpName = "TOKEN",
        };

        public Option<string?> TokenFile { get; } = new("--token-file")
        {
            Description = "A file holding the admin's bearer token on one line, readable by its owner only (chmod 600)",
            HelpName = "FILE",
        };

        public void AddTo(Command command)
        {
            command.Options.Add(Admin);
            command.Options.Add(Token);
            command.Options.Add(TokenFile);
        }

        public AdminClient Connect(ParseResult parse) =>
            new(AdminConnection.Resolve(parse.GetValue(Admin), parse.GetValue(Token), parse.GetValue(TokenFile)));
    }

    public static Option<bool> JsonOption() => new("--json") { Description = "Print the admin's JSON answer instead of a table (for scripts)" };

    /// <summary>An identity or door id argument: a positive number.</summary>
    public static Argument<long> IdArgument(string what) =>
        new Argument<long>("ID") { Description = $"The {what}'s id (see 'splicer {what} list')" }.AtLeast(1, $"a positive number (a {what} id)");

    public static bool IsDuration(string text) => AdminText.TryParseDuration(text, out _);
}
