using System.CommandLine;
using Splicer.Client.Framing;
using Splicer.Client.Paths;
using Splicer.Client.Pipe;

namespace Splicer.Client.Verbs;

/// <summary><c>splicer pipe [CODE]</c>: netcat through the relay.</summary>
internal static class CliPipe
{
    public static Command Command()
    {
        var options = new ClientOptions();
        var code = ClientOptions.CodeArgument("The code the other side printed (without it, a fresh code is printed on stderr for the other side)", optional: true);
        var noEncryption = ClientOptions.NoEncryption();
        var pipe = new Command("pipe", VerbText.Described(
            "Pipes stdin to the peer and the peer to stdout, end-to-end encrypted. EOF on stdin ends this direction "
            + "(the peer's stdout closes); the program exits when both directions are done.",
            "splicer pipe CODE | tar x", "tar c . | splicer pipe"))
        {
            code, noEncryption,
        };
        options.AddTo(pipe);
        pipe.SetAction(async (parse, cancellationToken) =>
        {
            using var relay = options.Target(parse);
            var pairing = ClientOptions.GivenOrAnnounced(parse.GetValue(code), options.OtherSide(parse, "splicer pipe"));

            await using var peer = await PeerLink.OpenAsync(relay, new CodeKeys(pairing), "pipe", !parse.GetValue(noEncryption), cancellationToken);
            await PipeSession.RunAsync(peer, StandardStreams.Input(), StandardStreams.Output(), cancellationToken);
            return CliExit.Ok;
        });
        return pipe;
    }
}
