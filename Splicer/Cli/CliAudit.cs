using System.CommandLine;
using Splicer.Admin;
using Splicer.Admin.Hosting;
using Splicer.Client.Verbs;

namespace Splicer.Cli;

/// <summary><c>splicer audit list</c>.</summary>
internal static class CliAudit
{
    public static Command Command()
    {
        var audit = new Command("audit", VerbText.Described("Reads the audit log: every change to identities and doors, who made it and when.",
            "splicer audit list --limit 20"));
        var admin = new SplicerCli.AdminOptions();
        var limit = new Option<int>("--limit") { Description = "How many entries, newest first (1 to 500)", DefaultValueFactory = _ => 50, HelpName = "N" }.Between(1, 500);
        var before = new Option<long?>("--before") { Description = "Only entries older than this id (the next page)", HelpName = "ID" };
        var json = SplicerCli.JsonOption();
        var list = new Command("list", VerbText.Described("Lists audit entries, newest first.", "splicer audit list --limit 20 --json"))
        {
            limit, before, json,
        };
        admin.AddTo(list);
        list.SetAction(async (parse, cancellationToken) =>
        {
            using var client = admin.Connect(parse);
            var path = $"api/audit?limit={parse.GetValue(limit)}" + (parse.GetValue(before) is { } id ? $"&before={id}" : "");
            var answer = await client.GetAsync(path, cancellationToken);
            if (parse.GetValue(json))
            {
                CliTable.WriteJson(Console.Out, answer);
                return CliExit.Ok;
            }

            var page = AdminClient.Read<AuditPage>(answer);
            CliTable.Write(Console.Out, ["ID", "WHEN", "WHO", "WHAT", "DETAIL"], page.Entries.Select(entry => (IReadOnlyList<string>)
            [
                entry.Id.ToString(), CliTable.When(entry.At), entry.Actor, entry.Action, entry.Detail,
            ]));
            if (page.NextBefore is { } next)
            {
                Console.Error.WriteLine($"More: splicer audit list --before {next}");
            }

            return CliExit.Ok;
        });
        audit.Subcommands.Add(list);
        return audit;
    }
}
