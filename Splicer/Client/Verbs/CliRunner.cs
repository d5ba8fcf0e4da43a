using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using Splicer.Client.Failures;

namespace Splicer.Client.Verbs;

/// <summary>Parses and runs a command line: a usage error is its reasons and a hint (exit 2), a failure one line (exit 1).</summary>
internal static class CliRunner
{
    public static async Task<int> RunAsync(RootCommand root, string[] args)
    {
        WholeNumbers.ReadAllIn(root);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync(error.Message);
            }

            var path = string.Join(' ', CommandPath(parse.CommandResult));
            await Console.Error.WriteLineAsync($"Run '{path} --help' for usage.");
            return CliExit.Usage;
        }

        try
        {
            // SIGTERM and Ctrl-C are the host's to handle (a drain, then exit 0); System.CommandLine's own
            // handler would race it and could end the process with 143 first.
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (CliFailure failure)
        {
            await Console.Error.WriteLineAsync("splicer: " + failure.Message);
            return failure.ExitCode;
        }
        catch (ClientFailure failure)
        {
            await Console.Error.WriteLineAsync("splicer: " + failure.Message);
            return failure.ExitCode;
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            // A file the client verbs read or write (a folder to send, a place to receive into, the client folder).
            await Console.Error.WriteLineAsync("splicer: " + failure.Message);
            return CliExit.Failed;
        }
    }

    private static IEnumerable<string> CommandPath(CommandResult? command)
    {
        var names = new Stack<string>();
        for (var result = command; result is not null; result = result.Parent as CommandResult)
        {
            names.Push(result.Command is RootCommand ? "splicer" : result.Command.Name);
        }

        return names;
    }
}
