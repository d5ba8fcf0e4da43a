using System.CommandLine;
using Splicer.Client.Verbs;

namespace Splicer.Cli;

/// <summary>
/// What every admin verb shares: its own arguments and options, then the credential options; one call to the
/// admin API; and, for verbs that answer with a view, <c>--json</c> for the API's own JSON, else a line or a table.
/// </summary>
internal static class AdminVerb
{
    public static Command Create<TView>(
        string name,
        string description,
        IReadOnlyList<Symbol> symbols,
        Func<AdminClient, ParseResult, CancellationToken, Task<string>> call,
        Action<ParseResult, TView> show)
    {
        var json = SplicerCli.JsonOption();
        return Create(name, description, [.. symbols, json], async (client, parse, cancellationToken) =>
        {
            var answer = await call(client, parse, cancellationToken);
            if (parse.GetValue(json))
            {
                CliTable.WriteJson(Console.Out, answer);
            }
            else
            {
                show(parse, AdminClient.Read<TView>(answer));
            }
        });
    }

    public static Command Create(
        string name,
        string description,
        IReadOnlyList<Symbol> symbols,
        Func<AdminClient, ParseResult, CancellationToken, Task> act)
    {
        var admin = new SplicerCli.AdminOptions();
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            if (symbol is Argument argument)
            {
                command.Arguments.Add(argument);
            }
            else
            {
                command.Options.Add((Option)symbol);
            }
        }

        admin.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var client = admin.Connect(parse);
            await act(client, parse, cancellationToken);
            return CliExit.Ok;
        });
        return command;
    }
}
