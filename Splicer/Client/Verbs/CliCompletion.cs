using System.CommandLine;

namespace Splicer.Client.Verbs;

/// <summary><c>splicer completion bash|zsh</c>: prints the shell script that completes verbs and options by asking the program.</summary>
internal static class CliCompletion
{
    /// <summary>The shells there is a script for, and the name of the script inside the client assembly.</summary>
    public static readonly IReadOnlyDictionary<string, string> Scripts = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["bash"] = "splicer.bash",
        ["zsh"] = "_splicer",
    };

    public static Command Command()
    {
        var shell = new Argument<string>("SHELL") { Description = "The shell to complete in: bash or zsh" };
        shell.CompletionSources.Add([.. Scripts.Keys]);
        shell.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text && !Scripts.ContainsKey(text))
            {
                result.AddError($"SHELL must be bash or zsh (was '{text}').");
            }
        });
        var completion = new Command("completion", VerbText.Described(
            "Prints the shell script that completes splicer's verbs and options (the Debian packages install both).",
            "splicer completion bash > ~/.local/share/bash-completion/completions/splicer",
            "source <(splicer completion zsh)"))
        {
            shell,
        };
        completion.SetAction(parse =>
        {
            Console.Out.Write(Script(parse.GetValue(shell)!));
            return CliExit.Ok;
        });
        return completion;
    }

    public static string Script(string shell)
    {
        using var stream = typeof(CliCompletion).Assembly.GetManifestResourceStream(Scripts[shell])!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
