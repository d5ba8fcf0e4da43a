using System.CommandLine;
using System.CommandLine.Parsing;
using Splicer.Cli;
using Splicer.Client.Verbs;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Host;

/// <summary>
/// No input crashes a verb. Every argument and option of every verb, as the parser defines them, is given
/// malformed values: a symbol that reads anything but free text refuses at least one with a one-line reason
/// naming it; nothing throws. Then the built program itself: exit 2, the reason, a usage hint, no stack trace.
/// </summary>
public sealed class MalformedInputTests
{
    private static readonly string[] Malformed = ["abc", "-5", "0", "99999999999999999999", "1.5", "::", "%%", "a b"];

    public static TheoryData<string> Verbs()
    {
        var data = new TheoryData<string>();
        foreach (var (path, _) in Leaves(SplicerCli.Build(), []))
        {
            data.Add(string.Join(' ', path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public void Every_option_and_argument_refuses_what_it_cannot_read_in_a_sentence(string verb)
    {
        var root = SplicerCli.Build();
        WholeNumbers.ReadAllIn(root);
        var command = Leaves(root, []).Single(leaf => string.Join(' ', leaf.Path) == verb).Command;
        foreach (var option in command.Options.Where(option => option.ValueType != typeof(bool) && option.Arity.MaximumNumberOfValues > 0 && !option.Hidden))
        {
            CheckRefused(root, option, option.Name, value => [.. verb.Split(' '), option.Name, value]);
        }

        for (var i = 0; i < command.Arguments.Count; i++)
        {
            var argument = command.Arguments[i];
            var before = Enumerable.Repeat("x", i);
            CheckRefused(root, argument, argument.Name, value => [.. verb.Split(' '), .. before, value]);
        }
    }

    [Theory]
    [InlineData("expose", "http")]
    [InlineData("connect", "lari-bufi-liha-kizo-fumo-jubo-movo-homu-rizi-bati-pila", "--listen", "abc")]
    [InlineData("door", "open", "--duration", "1h", "--uses", "abc")]
    [InlineData("map", "--port", "99999")]
    public async Task The_program_exits_2_with_the_reason_and_no_stack_trace(params string[] arguments)
    {
        await using var program = SplicerProgram.Start(arguments);
        var exit = await program.WaitForExitAsync();

        Assert.True(exit == CliExit.Usage, program.Output);
        Assert.DoesNotContain("Unhandled exception", program.Output);
        Assert.DoesNotContain("   at ", program.Output);
        Assert.Contains("--help' for usage.", program.Output);
    }

    [Theory]
    [InlineData("Splicer:Port must be a whole number (was 'abc').", "serve", "--Splicer:Port=abc")]
    [InlineData("Splicer:DrainTimeout must be a duration", "--Splicer:DrainTimeout=soon")]
    [InlineData("'--port' is not configuration", "serve", "--port", "4002")]
    [InlineData("'--port' is not configuration", "--port", "4002")]
    public async Task A_relay_with_bad_configuration_says_so_in_one_line_and_exits_2(string reason, params string[] arguments)
    {
        await using var program = SplicerProgram.Start(arguments);
        var exit = await program.WaitForExitAsync();

        Assert.True(exit == 2, program.Output);
        var line = Assert.Single(program.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains(reason, line);
    }

    private static void CheckRefused(RootCommand root, Symbol symbol, string name, Func<string, string[]> line)
    {
        var refusals = new List<string>();
        foreach (var value in Malformed)
        {
            var parse = root.Parse(line(value));
            var own = parse.Errors.Where(error => Names(error, name, value)).Select(error => error.Message).ToList();
            Assert.All(own, message => Assert.DoesNotContain('\n', message));
            Assert.All(own, message => Assert.DoesNotContain("System.", message));
            refusals.AddRange(own);
        }

        if (ReadsMoreThanText(symbol))
        {
            Assert.True(refusals.Count > 0, $"{name} accepted every one of {string.Join(", ", Malformed)}");
        }
    }

    private static bool Names(ParseError error, string name, string value) =>
        error.Message.Contains(name, StringComparison.Ordinal) || error.Message.Contains($"'{value}'", StringComparison.Ordinal);

    /// <summary>Whether the symbol reads a typed value or checks its text (free text such as a name reads anything).</summary>
    private static bool ReadsMoreThanText(Symbol symbol) => symbol switch
    {
        Option option => option.ValueType != typeof(string) || option.Validators.Count > 0,
        Argument argument => argument.ValueType != typeof(string) || argument.Validators.Count > 0,
        _ => false,
    };

    private static IEnumerable<(string[] Path, Command Command)> Leaves(Command command, string[] path)
    {
        if (command.Subcommands.Count == 0)
        {
            yield return (path, command);
        }

        foreach (var subcommand in command.Subcommands)
        {
            foreach (var leaf in Leaves(subcommand, [.. path, subcommand.Name]))
            {
                yield return leaf;
            }
        }
    }
}
