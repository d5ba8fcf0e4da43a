using System.CommandLine;
using Splicer.Client.Config;
using Splicer.Client.Framing;
using Splicer.Client.Joining;

namespace Splicer.Client.Verbs;

/// <summary><c>splicer join INVITE</c> and <c>splicer code</c>.</summary>
internal static class CliJoin
{
    public static Command Join()
    {
        var invite = new Argument<string>("INVITE") { Description = "The invite line the relay's owner sent (splicer-invite.…)" };
        var name = new Option<string?>("--name")
        {
            Description = "What to call this device at the relay (default: this machine's name)",
            HelpName = "NAME",
        };
        name.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text && (text.Length is 0 or > 64 || !text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')))
            {
                result.AddError("--name must be 1-64 characters of A-Z a-z 0-9 . _ -");
            }
        });
        var makeDefault = new Option<bool>("--default") { Description = "Make this relay the default even if another one is" };
        var join = new Command("join", VerbText.Described(
            "Redeems an invite: makes this device's key, enrolls it at the relay, and remembers the relay and its credential "
            + "(in $XDG_CONFIG_HOME/splicer, else ~/.config/splicer, mode 0600). The first relay joined is the default.",
            "splicer join splicer-invite.AQ…"))
        {
            invite, name, makeDefault,
        };
        join.SetAction(async (parse, cancellationToken) =>
        {
            var joiner = new InviteJoiner(ClientDirectory.Default());
            var relay = await joiner.JoinAsync(parse.GetValue(invite)!, parse.GetValue(name) ?? InviteJoiner.DefaultDeviceName(), parse.GetValue(makeDefault), cancellationToken);
            var expires = relay.ExpiresAt is { } at ? $"until {at:yyyy-MM-dd HH:mm} UTC" : "with no expiry";
            Console.WriteLine($"Joined {relay.Name} at {relay.Url} as identity {relay.IdentityId} (door {relay.DoorId}), {expires}.");
            return CliExit.Ok;
        });
        return join;
    }

    public static Command Code()
    {
        var code = new Command("code", VerbText.Described(
            "Prints a fresh code (11 words, 120 random bits and a check word) for scripts, so that both sides can be started with it.",
            "splicer code", "CODE=$(splicer code); splicer pipe \"$CODE\""));
        code.SetAction(_ =>
        {
            Console.WriteLine(PairingCode.Create().Text());
            return CliExit.Ok;
        });
        return code;
    }
}
