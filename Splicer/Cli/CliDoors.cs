using System.CommandLine;
using Splicer.Admin;
using Splicer.Admin.Api;
using Splicer.Admin.Hosting;
using Splicer.Client.Verbs;
using Splicer.Text;

namespace Splicer.Cli;

/// <summary><c>splicer door open|close|list</c>.</summary>
internal static class CliDoors
{
    public static Command Command()
    {
        var door = new Command("door", VerbText.Described(
            "Opens, closes and lists doors: what lets people (invite doors) or addresses (address doors) through, for a time.",
            "splicer door open --duration 2h --uses 1 --name 'for Ada'",
            "splicer door list"));
        door.Subcommands.Add(Open());
        door.Subcommands.Add(Close());
        door.Subcommands.Add(List());
        door.Subcommands.Add(CliQuota.Command("door"));
        return door;
    }

    private static Command Open()
    {
        var duration = new Option<string?>("--duration", "-d")
        {
            Description = "How long the door stays open: 30m, 2h, 1h30m, 7d or 01:30:00",
            HelpName = "TIME",
            Required = true,
        }.Checked(SplicerCli.IsDuration, $"must be like 30m, 2h, 1h30m, 7d or 01:30:00, at most {AdminText.MaxDuration.TotalDays:0} days");
        var from = new Option<string?>("--from")
        {
            Description = "Makes an address door: unmodified clients from this address or prefix may pair (e.g. 203.0.113.0/24)",
            HelpName = "PREFIX",
        }.Checked(text => AdminText.TryParsePrefix(text, out _, out _), "must be an IP address or a prefix such as 203.0.113.0/24 (host bits zero)");
        var uses = new Option<int?>("--uses")
        {
            Description = "Invite doors: how many people may redeem the invite (default 1; 0 for no invite, with --identity)",
            HelpName = "N",
        };
        var identities = new Option<long[]>("--identity")
        {
            Description = "Invite doors: an identity id allowed through (repeat for several)",
            HelpName = "ID",
        };
        var name = new Option<string?>("--name") { Description = "What to call the door", HelpName = "NAME" };
        var maxSessions = new Option<long?>("--max-sessions") { Description = "Sessions the door allows in all (default: no limit)", HelpName = "N" };
        var maxBytes = new Option<string?>("--max-bytes")
        {
            Description = "Bytes the door allows in all, both directions (e.g. 10G; default: no limit)",
            HelpName = "SIZE",
        }.Checked(text => AdminText.TryParseBytes(text, out _), "must be a size such as 500M or 10G");
        var inviteAddresses = new Option<string[]>("--invite-address")
        {
            Description = "Where the invite tells clients to connect, host:port (repeat for several; default: Splicer:Access:InviteAddresses)",
            HelpName = "HOST:PORT",
        };
        inviteAddresses.Validators.Add(result =>
        {
            foreach (var address in result.Tokens.Select(token => token.Value).Where(address => !HostAndPort.TryParse(address, out _)))
            {
                result.AddError($"--invite-address must be host:port with a port from 1 to 65535 (was '{address}').");
            }
        });
        DoorOpenRequest Request(ParseResult parse)
        {
            var prefix = parse.GetValue(from);
            AdminText.TryParseBytes(parse.GetValue(maxBytes), out var bytes);
            return new DoorOpenRequest(
                prefix is null ? "invite" : "address",
                parse.GetValue(duration),
                parse.GetValue(name),
                parse.GetValue(maxSessions),
                parse.GetValue(maxBytes) is null ? null : bytes,
                parse.GetValue(identities) is { Length: > 0 } ids ? ids : null,
                parse.GetValue(uses),
                prefix,
                parse.GetValue(inviteAddresses) is { Length: > 0 } addresses ? addresses : null);
        }

        return AdminVerb.Create<OpenDoorAnswer>(
            "open",
            VerbText.Described(
                "Opens a door for a time. With --from, an address door; otherwise an invite door, which prints its invite: "
                + "send that line to the person, who runs 'splicer join INVITE'. The invite is shown only now.",
                "splicer door open --duration 30m --from 203.0.113.0/24",
                "splicer door open --duration 2h --uses 3 --max-sessions 20 --max-bytes 10G --name 'for the team'",
                "splicer door open --duration 7d --identity 4 --identity 5"),
            [duration, from, uses, identities, name, maxSessions, maxBytes, inviteAddresses],
            (client, parse, cancellationToken) => client.PostAsync("api/doors", Request(parse), cancellationToken),
            (_, opened) => WriteOpened(opened));
    }

    private static void WriteOpened(OpenDoorAnswer opened)
    {
        var shown = opened.Door;
        Console.WriteLine($"Opened door {shown.Id} ({shown.Kind}, '{shown.Name}') {Who(shown)} until {CliTable.When(shown.ExpiresAt)} "
            + $"({CliTable.Left(shown.RemainingSeconds)}); {Limits(shown)}.");
        if (opened.Invite is { } invite)
        {
            var invitesLeft = shown.Invites.Sum(i => i.UsesAllowed);
            Console.WriteLine($"Invite ({invitesLeft} use{(invitesLeft == 1 ? "" : "s")}; shown only now):");
            Console.WriteLine(invite);
        }
    }

    private static Command Close()
    {
        var id = SplicerCli.IdArgument("door");
        var reason = new Option<string?>("--reason") { Description = $"Why, for the audit log (default: '{AdminText.DefaultCloseReason}')", HelpName = "TEXT" };
        return AdminVerb.Create<DoorView>(
            "close",
            VerbText.Described("Closes a door now. Sessions that came through it are cut within a second.", "splicer door close 3 --reason 'done for today'"),
            [id, reason],
            (client, parse, cancellationToken) =>
                client.PostAsync($"api/doors/{parse.GetValue(id)}/close", new DoorCloseRequest(parse.GetValue(reason)), cancellationToken),
            (_, door) => Console.WriteLine(door.State == "closed"
                ? $"Door {door.Id} is closed ({door.CloseReason}) since {CliTable.When(door.ClosedAt)}."
                : $"Door {door.Id} is {door.State}."));
    }

    private static Command List()
    {
        var all = new Option<bool>("--all") { Description = "Also doors that are closed or expired" };
        return AdminVerb.Create<DoorView[]>(
            "list",
            VerbText.Described(
                "Lists the open doors, newest first, with the time they have left and what they have let through.",
                "splicer door list --all --json"),
            [all],
            (client, parse, cancellationToken) => client.GetAsync(parse.GetValue(all) ? "api/doors?all=true" : "api/doors", cancellationToken),
            (_, doors) => WriteList(doors));
    }

    private static void WriteList(DoorView[] doors)
    {
        CliTable.Write(Console.Out, ["ID", "KIND", "NAME", "WHO", "SESSIONS", "BYTES", "ALLOWANCE LEFT", "STATE", "LEFT"], doors.Select(door => (IReadOnlyList<string>)
        [
            door.Id.ToString(),
            door.Kind,
            door.Name,
            Who(door),
            door.SessionsUsed.ToString(),
            CliTable.Bytes(door.BytesUsed),
            AllowanceLeft(door),
            door.State,
            door.State is "closed" or "expired" ? "-" : CliTable.Left(door.RemainingSeconds),
        ]));
    }

    /// <summary>What the door's own allowance (<c>--max-sessions</c>, <c>--max-bytes</c>) still lets through; <c>-</c> without one.</summary>
    private static string AllowanceLeft(DoorView door)
    {
        var parts = new List<string>();
        if (door.SessionsLeft is { } sessions)
        {
            parts.Add($"{sessions} of {door.MaxSessions} sessions");
        }

        if (door.BytesLeft is { } bytes)
        {
            parts.Add($"{CliTable.Bytes(bytes)} of {CliTable.Bytes(door.MaxBytes ?? 0)}");
        }

        return parts.Count == 0 ? "-" : string.Join(", ", parts);
    }

    private static string Who(DoorView door)
    {
        if (door.AddressPrefix is { } prefix)
        {
            return "from " + prefix;
        }

        var parts = new List<string>();
        if (door.Identities.Count > 0)
        {
            parts.Add("identities " + string.Join(",", door.Identities));
        }

        parts.AddRange(door.Invites.Select(invite => $"invite {invite.UsesMade}/{invite.UsesAllowed}"));
        return parts.Count == 0 ? "nobody yet" : string.Join("; ", parts);
    }

    private static string Limits(DoorView door) =>
        $"sessions {door.MaxSessions?.ToString() ?? "unlimited"}, bytes {(door.MaxBytes is { } max ? CliTable.Bytes(max) : "unlimited")}";
}
