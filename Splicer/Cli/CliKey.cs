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

    private static Command Show() => AdminVerb.Create<BoxKeyView>(
        "show",
        VerbText.Described("Prints the box key's fingerprint and the retired keys still trusted.", "splicer key show --json"),
        [],
        (client, _, cancellationToken) => client.GetAsync("api/key", cancellationToken),
        (_, key) => Write(key));

    private static Command Rotate()
    {
        var revoke = new Option<bool>("--revoke")
        {
            Description = "Trust no earlier key (for a key that may have leaked): every credential signed before stops working",
        };
        return AdminVerb.Create<BoxKeyView>(
            "rotate",
            VerbText.Described(
                "Makes a new box key at once. Credentials signed by the old one keep working until they expire "
                + "(Splicer:Access:CredentialLifetime), unless --revoke; then their holders need a new invite.",
                "splicer key rotate", "splicer key rotate --revoke"),
            [revoke],
            (client, parse, cancellationToken) => client.PostAsync("api/key/rotate" + (parse.GetValue(revoke) ? "?revoke=true" : ""), null, cancellationToken),
            (_, key) => Write(key));
    }

    private static void Write(BoxKeyView key) =>
        CliTable.Write(Console.Out, ["KEY", "FINGERPRINT"],
            [["current", key.Current], .. key.Retired.Select(retired => (IReadOnlyList<string>)["retired", retired])]);
}
