using System.CommandLine;
using Splicer.Client.Failures;
using Splicer.Client.Framing;
using Splicer.Client.Paths;
using Splicer.Client.Transfer;

namespace Splicer.Client.Verbs;

/// <summary><c>splicer send PATH [--code CODE]</c> and <c>splicer receive CODE [--into DIR]</c>.</summary>
internal static class CliTransfer
{
    public const string Purpose = "transfer";

    public static Command Send()
    {
        var options = new ClientOptions();
        var path = new Argument<string>("PATH") { Description = "The file or folder to send (a folder goes whole: modes, empty folders, symlinks as links)" };
        var code = ClientOptions.CodeOption("Use this code (from 'splicer code', or the one of an interrupted transfer to resume it) instead of a fresh one");
        var send = new Command("send", VerbText.Described(
            "Sends a file or a folder, end-to-end encrypted, to 'splicer receive CODE' on the other side. Prints the code unless one is given. "
            + "An interrupted transfer resumes when both sides run again with the same code.",
            "splicer send ./photos", "splicer send report.pdf --code CODE"))
        {
            path, code,
        };
        options.AddTo(send);
        send.SetAction(async (parse, cancellationToken) =>
        {
            var manifest = TransferManifest.Of(parse.GetValue(path)!);
            using var relay = options.Target(parse);
            var pairing = ClientOptions.GivenOrAnnounced(parse.GetValue(code), options.OtherSide(parse, "splicer receive"));

            var parent = Path.GetDirectoryName(Path.GetFullPath(parse.GetValue(path)!).TrimEnd(Path.DirectorySeparatorChar))!;
            await ResumableAsync($"splicer send {parse.GetValue(path)} --code {pairing.Text()}{RelayArgument(options, parse)}", async () =>
            {
                await using var peer = await PeerLink.OpenAsync(relay, new CodeKeys(pairing), Purpose, encrypted: true, cancellationToken);
                await new FileSender(manifest, parent).SendAsync(peer, cancellationToken);
            });
            Console.Error.WriteLine($"Sent {manifest.RootName} ({TransferProgress.Size(manifest.TotalBytes)}); the receiver checked every hash.");
            return CliExit.Ok;
        });
        return send;
    }

    public static Command Receive()
    {
        var options = new ClientOptions();
        var code = ClientOptions.CodeArgument("The code 'splicer send' printed on the other side");
        var into = new Option<string?>("--into") { Description = "The folder to put it in (default: the current folder)", HelpName = "DIR" };
        var receive = new Command("receive", VerbText.Described(
            "Receives what 'splicer send' sends, checks every file's SHA-256, and puts it in the current folder. "
            + "Run it again with the same code to resume an interrupted transfer.",
            "splicer receive CODE", "splicer receive CODE --into ~/Downloads"))
        {
            code, into,
        };
        options.AddTo(receive);
        receive.SetAction(async (parse, cancellationToken) =>
        {
            var destination = Path.GetFullPath(parse.GetValue(into) ?? ".");
            if (!Directory.Exists(destination))
            {
                throw new ClientFailure($"{destination} is not a folder", ClientFailure.Usage);
            }

            using var relay = options.Target(parse);
            var keys = new CodeKeys(PairingCode.Parse(parse.GetValue(code)!));
            var received = "";
            await ResumableAsync($"splicer receive {parse.GetValue(code)}{RelayArgument(options, parse)}" + (parse.GetValue(into) is { } folder ? $" --into {folder}" : ""), async () =>
            {
                await using var peer = await PeerLink.OpenAsync(relay, keys, Purpose, encrypted: true, cancellationToken);
                received = await new FileReceiver(destination, keys).ReceiveAsync(peer, cancellationToken);
            });
            Console.Error.WriteLine($"Received {received}; every hash matched.");
            return CliExit.Ok;
        });
        return receive;
    }

    /// <summary>A transfer cut once it had its partner ends with the command that resumes it.</summary>
    private static async Task ResumableAsync(string again, Func<Task> transfer)
    {
        try
        {
            await transfer();
        }
        catch (Exception ex) when (ex is ClientFailure { ExitCode: not ClientFailure.Usage } and not WaitingEndedException or IOException)
        {
            throw new ClientFailure($"{ex.Message}{Environment.NewLine}To resume, run the same command again: {again}");
        }
    }

    private static string RelayArgument(ClientOptions options, ParseResult parse) =>
        parse.GetValue(options.Relay) is { } relay ? $" --relay {relay}" : "";
}
