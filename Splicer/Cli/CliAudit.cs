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
        var limit = new Option<int>("--limit") { Description = "How many entries, newest first (1 to 500)", DefaultValueFactory = _ => 50, HelpName = "N" }.Between(1, 500);
        var before = new Option<long?>("--before") { Description = "Only entries older than this id (the next page)", HelpName = "ID" };
        var list = AdminVerb.Create<AuditPage>(
            "list",
            VerbText.Described("Lists audit entries, newest first.", "splicer audit list --limit 20 --json"),
            [limit, before],
            (client, parse, cancellationToken) =>
                client.GetAsync($"api/audit?limit={parse.GetValue(limit)}" + (parse.GetValue(before) is { } id ? $"&before={id}" : ""), cancellationToken),
            (_, page) => Write(page));
        audit.Subcommands.Add(list);
        return audit;
    }

    private static void Write(AuditPage page)
    {
        CliTable.Write(Console.Out, ["ID", "WHEN", "WHO", "WHAT", "DETAIL"], page.Entries.Select(entry => (IReadOnlyList<string>)
        [
            entry.Id.ToString(), CliTable.When(entry.At), entry.Actor, entry.Action, entry.Detail,
        ]));
        if (page.NextBefore is { } next)
        {
            Console.Error.WriteLine($"More: splicer audit list --before {next}");
        }
    }
}
