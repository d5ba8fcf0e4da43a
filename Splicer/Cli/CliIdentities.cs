using System.CommandLine;
using Splicer.Admin;
using Splicer.Admin.Api;
using Splicer.Admin.Hosting;
using Splicer.Client.Verbs;

namespace Splicer.Cli;

/// <summary><c>splicer identity list|add|disable|enable|delete</c>.</summary>
internal static class CliIdentities
{
    public static Command Command()
    {
        var identity = new Command("identity", VerbText.Described(
            "Lists and governs identities: the people and devices the relay lets through their doors, and their quotas.",
            "splicer identity list",
            "splicer identity disable 4"));
        identity.Subcommands.Add(List());
        identity.Subcommands.Add(Add());
        identity.Subcommands.Add(Change("disable", "Disables an identity: its credentials are refused and its live sessions cut within a second; it is kept.",
            "POST", id => $"api/identities/{id}/disable"));
        identity.Subcommands.Add(Change("enable", "Enables a disabled identity again.", "POST", id => $"api/identities/{id}/enable"));
        identity.Subcommands.Add(Change("delete", "Deletes an identity with its devices; its live sessions are cut within a second.",
            "DELETE", id => $"api/identities/{id}"));
        identity.Subcommands.Add(CliQuota.Command("identity"));
        return identity;
    }

    private static Command List() => AdminVerb.Create<IdentityView[]>(
        "list",
        VerbText.Described("Lists identities with their devices, when they were last used, and their doors.", "splicer identity list --json"),
        [],
        (client, _, cancellationToken) => client.GetAsync("api/identities", cancellationToken),
        (_, identities) => CliTable.Write(Console.Out, ["ID", "NAME", "STATE", "DEVICES", "SESSIONS", "BYTES", "LAST USED", "DOORS"],
            identities.Select(identity => (IReadOnlyList<string>)
            [
                identity.Id.ToString(),
                identity.Name,
                identity.Disabled ? "disabled" : "enabled",
                identity.Devices.Count == 0 ? "-" : string.Join(",", identity.Devices.Select(device => device.Name)),
                identity.Usage.Sessions.ToString(),
                CliTable.Bytes(identity.Usage.Bytes),
                CliTable.When(identity.LastUsedAt),
                identity.Doors.Count == 0 ? "-" : string.Join(",", identity.Doors),
            ])));

    private static Command Add()
    {
        var name = new Argument<string>("NAME") { Description = "What to call the person or device" };
        return AdminVerb.Create<IdentityView>(
            "add",
            VerbText.Described("Adds an identity without a device (people usually enroll by redeeming an invite).", "splicer identity add ada"),
            [name],
            (client, parse, cancellationToken) => client.PostAsync("api/identities", new IdentityAddRequest(parse.GetValue(name)), cancellationToken),
            (_, identity) => Console.WriteLine($"Added identity {identity.Id} '{identity.Name}'."));
    }

    private static Command Change(string verb, string description, string method, Func<long, string> path)
    {
        var id = SplicerCli.IdArgument("identity");
        return AdminVerb.Create(verb, VerbText.Described(description, $"splicer identity {verb} 4"), [id], async (client, parse, cancellationToken) =>
        {
            var identity = parse.GetValue(id);
            _ = method == "DELETE"
                ? await client.DeleteAsync(path(identity), cancellationToken)
                : await client.PostAsync(path(identity), null, cancellationToken);
            Console.WriteLine(verb == "delete" ? $"Deleted identity {identity}." : $"Identity {identity} is {verb}d.");
        });
    }
}
