using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Splicer.Access;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Docs;

/// <summary>
/// The README's five-minute path, run as a person would: its commands read from the README's code block and typed into
/// bash on a relay box and two laptops (each its own home, working folder and relative paths), with the built programs
/// on PATH as <c>splicer</c> (the whole one on the box, the client-only one on the laptops). Only the README's stand-ins
/// are replaced: the relay's address by a loopback port, the invite and the code by what the programs printed; the box's
/// ports and pairing time come from the environment. The install block is not run: the solution's builds stand in for
/// the NativeAOT file, which <c>ClientBuildTests</c> builds and runs.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed partial class FiveMinutePathTests
{
    private const string Section = "## Use it (five minutes)";
    private const string RelayAddress = "relay.example.net:4001";
    private const string InviteStandIn = "splicer-invite.AQ…";
    private const string CodeStandIn = "bado-kifu-…";

    /// <summary>What the relay box runs between starting the relay and opening the door: the person waits until it is up.</summary>
    private const string UntilTheAdminAnswers = "until splicer door list >/dev/null 2>&1; do sleep 0.2; done";

    [Fact]
    public void The_readme_installs_the_client_on_PATH_as_splicer()
    {
        var install = CodeBlocks()[0].Single(line => line.StartsWith("install ", StringComparison.Ordinal));

        Assert.EndsWith(" ~/.local/bin/splicer", install);
    }

    [Fact]
    public async Task Two_laptops_join_with_the_printed_invite_and_a_folder_goes_across_while_a_wrong_code_waits_and_is_named()
    {
        var steps = Steps(CodeBlocks()[1]);
        using var box = new Machine("box");
        using var ada = new Machine("ada");
        using var desktop = new Machine("desktop");
        using var relayProgram = ProgramOnPath.Whole();
        using var clientProgram = ProgramOnPath.ClientOnly();
        var port = FreePort.Next();
        var here = new Dictionary<string, string> { [RelayAddress] = $"127.0.0.1:{port}" };

        await using var relayBox = relayProgram.Bash(
            Script(here, steps[1], [UntilTheAdminAnswers], steps[2], ["wait"]), box.Folder, box.Environment(RelaySettings(port)));
        here[InviteStandIn] = (await SeenAsync(relayBox, line => line.StartsWith(InviteCode.Prefix, StringComparison.Ordinal))).Trim();
        await RunOkAsync(clientProgram, Script(here, steps[3]), ada);
        await RunOkAsync(clientProgram, Script(here, steps[3]), desktop);

        var (send, receive) = (steps[4].Single(IsVerb("send")), steps[4].Single(IsVerb("receive")));
        var photos = ada.MakeFolder(send.Split(' ')[2]);
        var wrongCode = (await RunOkAsync(clientProgram, "splicer code", desktop)).Trim();
        await using var mistyped = clientProgram.Bash(Script(new() { [CodeStandIn] = wrongCode }, [receive]), desktop.Folder, desktop.Environment());
        await SeenAsync(mistyped, WaitingNotice().IsMatch);

        await using var sender = clientProgram.Bash(Script(here, [send]), ada.Folder, ada.Environment());
        here[CodeStandIn] = CodeLine().Match(await SeenAsync(sender, line => CodeLine().IsMatch(line))).Groups[1].Value;
        var received = await RunOkAsync(clientProgram, Script(here, [receive]), desktop);

        Assert.Contains("every hash matched", received);
        Assert.True(await sender.WaitForExitAsync() == 0, sender.Output);
        AssertSameFiles(photos, Path.Combine(desktop.Folder, Path.GetFileName(photos)));
        Assert.True(await mistyped.WaitForExitAsync() == 1, mistyped.Output);
        Assert.Contains($"splicer: no partner came with the code {wrongCode} in the relay's pairing time", mistyped.Output);
    }

    /// <summary>
    /// The relay on loopback only, its admin on a port of its own, and a pairing time short enough for the wrong code to end
    /// soon, long enough for the receiver to start on a busy machine while the sender waits.
    /// </summary>
    private static Dictionary<string, string?> RelaySettings(int port) => new()
    {
        ["Splicer__Address"] = "127.0.0.1",
        ["Splicer__Port"] = port.ToString(),
        ["Splicer__PairingTimeout"] = "00:00:20",
        ["Admin__Url"] = $"http://127.0.0.1:{FreePort.Next()}",
    };

    /// <summary>Runs <paramref name="script"/> on <paramref name="machine"/> to its end, which must be exit 0; returns its output.</summary>
    private static async Task<string> RunOkAsync(ProgramOnPath program, string script, Machine machine)
    {
        var (exit, output) = await program.BashAsync(script, machine.Folder, machine.Environment());
        Assert.True(exit == 0, $"{script}\n{output}");
        return output;
    }

    /// <summary>The first line that matches; the whole output in the failure if none comes.</summary>
    private static async Task<string> SeenAsync(ExternalProcess process, Func<string, bool> match)
    {
        try
        {
            return await process.WaitForLineAsync(match);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"gave up waiting for a line; the output so far:\n{process.Output}");
            throw;
        }
    }

    private static Func<string, bool> IsVerb(string verb) => command => command.StartsWith($"splicer {verb} ", StringComparison.Ordinal);

    /// <summary>The commands of the steps one after another as one bash script, each stand-in replaced by what it stands for here.</summary>
    private static string Script(Dictionary<string, string> here, params IEnumerable<string>[] parts)
    {
        var commands = parts.SelectMany(part => part);
        return "set -e\n" + string.Join('\n', commands.Select(command => here.Aggregate(command, (line, standIn) => line.Replace(standIn.Key, standIn.Value))));
    }

    private static void AssertSameFiles(string sent, string received)
    {
        var files = Directory.GetFiles(sent, "*", SearchOption.AllDirectories).Select(path => Path.GetRelativePath(sent, path)).Order().ToList();
        Assert.Equal(files, Directory.GetFiles(received, "*", SearchOption.AllDirectories).Select(path => Path.GetRelativePath(received, path)).Order());
        Assert.All(files, file => Assert.Equal(File.ReadAllBytes(Path.Combine(sent, file)), File.ReadAllBytes(Path.Combine(received, file))));
    }

    /// <summary>The sh code blocks of the README's five-minute section, each as its lines.</summary>
    private static List<List<string>> CodeBlocks()
    {
        var blocks = new List<List<string>>();
        List<string>? block = null;
        foreach (var line in RepositoryFiles.Section("README.md", Section))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                block = block is null ? [] : null;
                if (block is not null)
                {
                    blocks.Add(block);
                }
            }
            else
            {
                block?.Add(line);
            }
        }

        Assert.True(blocks.Count == 2, $"README.md's \"{Section}\" should have two code blocks (install, then the steps), not {blocks.Count}");
        Assert.Contains(blocks[1], line => line.Contains(RelayAddress));
        Assert.Contains(blocks[1], line => line.Contains(InviteStandIn));
        Assert.Contains(blocks[1], line => line.Contains(CodeStandIn));
        return blocks;
    }

    /// <summary>The commands under each numbered comment (<c># 1. On the relay box: …</c>), without their trailing comments.</summary>
    private static Dictionary<int, List<string>> Steps(IEnumerable<string> block)
    {
        var steps = new Dictionary<int, List<string>>();
        var step = 0;
        foreach (var line in block.Where(line => line.Trim().Length > 0))
        {
            if (StepHeading().Match(line) is { Success: true } heading)
            {
                step = int.Parse(heading.Groups[1].Value);
                steps[step] = [];
            }
            else if (!line.StartsWith('#'))
            {
                steps[step].Add(TrailingComment().Replace(line, ""));
            }
        }

        Assert.Equal([1, 2, 3, 4], steps.Keys.Order());
        return steps;
    }

    [GeneratedRegex(@"^# (\d+)\. ")]
    private static partial Regex StepHeading();

    [GeneratedRegex(@"\s+#\s.*$")]
    private static partial Regex TrailingComment();

    /// <summary>The first notice comes a second in: "(0:01)", or a little later on a busy machine.</summary>
    [GeneratedRegex(@"^waiting for the other side \(0:0\d\)… — check that both typed the same code$")]
    private static partial Regex WaitingNotice();

    [GeneratedRegex(@"^Code: (\S+)")]
    private static partial Regex CodeLine();

    /// <summary>A machine of the path: its own home (client folder, state, cache) and a working folder in it.</summary>
    private sealed class Machine : IDisposable
    {
        private readonly string _home;

        public Machine(string name)
        {
            _home = Directory.CreateTempSubdirectory($"splicer-five-minutes-{name}-").FullName;
            Folder = Directory.CreateDirectory(Path.Combine(_home, "work")).FullName;
        }

        public string Folder { get; }

        public Dictionary<string, string?> Environment(Dictionary<string, string?>? more = null)
        {
            var environment = new Dictionary<string, string?>(more ?? [])
            {
                ["HOME"] = _home,
                ["XDG_CONFIG_HOME"] = Path.Combine(_home, ".config"),
                ["XDG_STATE_HOME"] = Path.Combine(_home, ".local", "state"),
                ["XDG_CACHE_HOME"] = Path.Combine(_home, ".cache"),
            };
            return environment;
        }

        /// <summary>A folder at <paramref name="relativePath"/> in the working folder: a photo and a note in a subfolder.</summary>
        public string MakeFolder(string relativePath)
        {
            var folder = Path.GetFullPath(Path.Combine(Folder, relativePath));
            Directory.CreateDirectory(Path.Combine(folder, "notes"));
            File.WriteAllBytes(Path.Combine(folder, "beach.jpg"), RandomNumberGenerator.GetBytes(300_000));
            File.WriteAllText(Path.Combine(folder, "notes", "today.txt"), "swam at nine\n");
            return folder;
        }

        public void Dispose() => Directory.Delete(_home, recursive: true);
    }
}
