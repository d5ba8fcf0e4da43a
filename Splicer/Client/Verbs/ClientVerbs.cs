using System.CommandLine;

namespace Splicer.Client.Verbs;

/// <summary>The verbs a person runs on their own machine: the client's whole command line.</summary>
internal static class ClientVerbs
{
    public static IEnumerable<Command> All() =>
    [
        CliJoin.Join(),
        CliJoin.Code(),
        CliPipe.Command(),
        CliTransfer.Send(),
        CliTransfer.Receive(),
        CliTunnel.Expose(),
        CliTunnel.Connect(),
        CliMap.Command(),
        CliPunchProbe.Probe(),
        CliCompletion.Command(),
    ];

    /// <summary>The client-only program's root: the client verbs and nothing of the relay.</summary>
    public static RootCommand Root()
    {
        var root = new RootCommand(VerbText.Described(
            "splicer: send files, pipes and TCP services to another machine through a Splicer relay, end-to-end encrypted.",
            "splicer join splicer-invite.AQ…",
            "splicer send ./photos",
            "splicer receive CODE"));
        foreach (var verb in All())
        {
            root.Subcommands.Add(verb);
        }

        return root;
    }
}
