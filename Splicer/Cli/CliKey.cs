using System.CommandLine;
using Splicer.Admin;
using Splicer.Admin.Hosting;
using Splicer.Client.Verbs;

namespace Splicer.Cli;

/// <summary><c>splicer key show|rotate</c>: the box key that signs every credential, through the admin.</summary>
internal static class CliKey
{
    public static Command Command()
    {
        var key = new Command("key", VerbText.Described(
            "The box key that signs every credential: its fingerprint, and rotation while the relay runs.",
            "splicer key show", "splicer key rotate", "splicer key rotate --revoke"));
        key.Subcommands.Add(Show());
        key.Subcommands.Add(Rotate());
        return key;
    }

    private static Command Show()
    {
        var admin = new SplicerCli.AdminOptions();
        var json = SplicerCli.JsonOption();
        var show = new Command("show", VerbText.Described("Prints the box key's fingerprint and the retired keys still trusted.", "splicer key show --json"))
        {
            json,
        };
        admin.AddTo(show);
        show.SetAction(async (parse, cancellationToken) =>
        {
            using var client = admin.Connect(parse);
            Write(await client.GetAsync("api/key", cancellationToken), parse.GetValue(json));
            return CliExit.Ok;
        });
        return show;
    }

    private static Command Rotate()
    {
        var admin = new SplicerCli.AdminOptions();
        var json = SplicerCli.JsonOption();
        var revoke = new Option<bool>("--revoke")
        {
            Description = "Trust no earlier key (for a key that may have leaked): every credential signed before stops working",
        };
        var rotate = new Command("rotate", VerbText.Described(
            "Makes a new box key at once. Credentials signed by the old one keep working until they expire "
            + "(Splicer:Access:CredentialLifetime), unless --revoke; then their holders need a new invite.",
            "splicer key rotate", "splicer key rotate --revoke"))
        {
            revoke, json,
        };
        admin.AddTo(rotate);
        rotate.SetAction(async (parse, cancellationToken) =>
        {
            using var client = admin.Connect(parse);
            var path = "api/key/rotate" + (parse.GetValue(revoke) ? "?revoke=true" : "");
            Write(await client.PostAsync(path, null, cancellationToken), parse.GetValue(json));
            return CliExit.Ok;
        });
        return rotate;
    }

    private static void Write(string answer, bool json)
    {
        if (json)
        {
            CliTable.WriteJson(Console.Out, answer);
            return;
        }

        var key = AdminClient.Read<BoxKeyView>(answer);
        CliTable.Write(Console.Out, ["KEY", "FINGERPRINT"],
            [["current", key.Current], .. key.Retired.Select(retired => (IReadOnlyList<string>)["retired", retired])]);
    }
}
