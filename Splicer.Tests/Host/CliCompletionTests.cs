using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Host;

/// <summary>
/// Shell completion as a person gets it: the built program on PATH as <c>splicer</c>, the script
/// <c>splicer completion bash|zsh</c> prints loaded in a real shell, and the program's own suggest directive behind it.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CliCompletionTests
{
    /// <summary>What bash does on Tab: the line and the cursor in COMP_*, then the completion function.</summary>
    private const string BashCompletes = """
        source <(splicer completion bash)
        complete -p splicer
        COMP_LINE=$LINE; COMP_POINT=${#LINE}; read -ra COMP_WORDS <<<"$LINE"
        [[ $LINE == *' ' ]] && COMP_WORDS+=('')
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        _splicer
        printf 'reply: %s\n' "${COMPREPLY[@]}"
        """;

    /// <summary>zsh's completion system stood in for by two functions that print what they were given.</summary>
    private const string ZshCompletes = """
        compdef() { print -r -- "compdef $*" }
        compadd() { print -rl -- "reply: "${^${(P)2}} }
        source <(splicer completion zsh)
        words=(${(z)LINE}); [[ $LINE == *' ' ]] && words+=('')
        CURRENT=${#words}
        _splicer
        """;

    [Fact]
    public async Task The_suggest_directive_offers_send_and_serve_for_splicer_se()
    {
        using var bin = ProgramOnPath.Whole();

        var (exit, output) = await bin.BashAsync("splicer '[suggest:10]' 'splicer se'");

        Assert.Equal(0, exit);
        Assert.Contains("send", Lines(output));
        Assert.Contains("serve", Lines(output));
    }

    [Theory]
    [InlineData("whole", "splicer se", "send serve")]
    [InlineData("whole", "splicer door o", "open")]
    [InlineData("whole", "splicer send --relay-", "--relay-only")]
    [InlineData("whole", "splicer completion z", "zsh")]
    [InlineData("client-only", "splicer se", "send")]
    [InlineData("client-only", "splicer rec", "receive")]
    public async Task Bash_with_the_printed_script_completes_verbs_and_options(string program, string line, string expected)
    {
        using var bin = Program(program);

        var (exit, output) = await bin.BashAsync(BashCompletes + "\n", environment: Argument(line));

        Assert.True(exit == 0, output);
        Assert.Contains("complete -o default -F _splicer splicer", output);
        Assert.Equal(expected.Split(' '), Replies(output));
    }

    [RequiresTheory(ProgramsInstalledOnCi = ["zsh"])]
    [InlineData("whole", "splicer door o", "open")]
    [InlineData("client-only", "splicer send --relay-", "--relay-only")]
    public async Task Zsh_with_the_printed_script_asks_the_program_and_registers_for_splicer(string program, string line, string expected)
    {
        using var bin = Program(program);

        var (exit, output) = await bin.BashAsync("exec zsh -f -c \"$ZSH_SCRIPT\"", environment: new Dictionary<string, string?>
        {
            ["ZSH_SCRIPT"] = ZshCompletes,
            ["LINE"] = line,
        });

        Assert.True(exit == 0, output);
        Assert.Contains("compdef _splicer splicer", output);
        Assert.Contains(expected, Replies(output));
    }

    [Fact]
    public async Task An_unknown_shell_is_a_usage_error_that_names_the_shells()
    {
        using var bin = ProgramOnPath.ClientOnly();

        var (exit, output) = await bin.BashAsync("splicer completion fish");

        Assert.Equal(2, exit);
        Assert.StartsWith("SHELL must be bash or zsh (was 'fish').", output);
    }

    private static ProgramOnPath Program(string which) => which == "whole" ? ProgramOnPath.Whole() : ProgramOnPath.ClientOnly();

    /// <summary>The line to complete reaches the script as $LINE.</summary>
    private static Dictionary<string, string?> Argument(string line) => new() { ["LINE"] = line };

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string[] Replies(string output) =>
        Lines(output).Where(line => line.StartsWith("reply: ", StringComparison.Ordinal)).Select(line => line["reply: ".Length..]).ToArray();
}
