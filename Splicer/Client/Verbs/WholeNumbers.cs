using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Splicer.Client.Verbs;

/// <summary>
/// Every whole-number argument and option reads its own text, so a word where a number belongs is a usage
/// error in a sentence (<c>PORT must be a number from 1 to 65535 (was 'http').</c>), never the parser's type
/// name nor an exception from a validator that asked for a value the parser could not make.
/// </summary>
internal static class WholeNumbers
{
    public static Option<int> Between(this Option<int> option, int min, int max)
    {
        option.CustomParser = result => (int)Read(result, option.Name, min, max, int.MinValue, int.MaxValue);
        return option;
    }

    public static Argument<int> Between(this Argument<int> argument, int min, int max)
    {
        argument.CustomParser = result => (int)Read(result, argument.Name, min, max, int.MinValue, int.MaxValue);
        return argument;
    }

    /// <param name="expected">What to call the number in the error, e.g. <c>a positive number (a door id)</c>.</param>
    public static Argument<long> AtLeast(this Argument<long> argument, long min, string expected)
    {
        argument.CustomParser = result => Read(result, argument.Name, min, long.MaxValue, long.MinValue, long.MaxValue, expected);
        return argument;
    }

    /// <summary>Gives every whole-number symbol under <paramref name="command"/> that has no reader of its own the plain one.</summary>
    public static void ReadAllIn(Command command)
    {
        foreach (var option in command.Options)
        {
            ReadPlainly(option);
        }

        foreach (var argument in command.Arguments)
        {
            ReadPlainly(argument);
        }

        foreach (var subcommand in command.Subcommands)
        {
            ReadAllIn(subcommand);
        }
    }

    private static void ReadPlainly(Symbol symbol)
    {
        switch (symbol)
        {
            case Option<int> { CustomParser: null } option:
                option.CustomParser = result => (int)Read(result, option.Name, int.MinValue, int.MaxValue, int.MinValue, int.MaxValue);
                break;
            case Option<int?> { CustomParser: null } option:
                option.CustomParser = result => (int?)Read(result, option.Name, int.MinValue, int.MaxValue, int.MinValue, int.MaxValue);
                break;
            case Option<long> { CustomParser: null } option:
                option.CustomParser = result => Read(result, option.Name, long.MinValue, long.MaxValue, long.MinValue, long.MaxValue);
                break;
            case Option<long?> { CustomParser: null } option:
                option.CustomParser = result => Read(result, option.Name, long.MinValue, long.MaxValue, long.MinValue, long.MaxValue);
                break;
            case Option<long[]> { CustomParser: null } option:
                option.CustomParser = result => [.. result.Tokens.Select(token => ReadOne(result, token.Value, option.Name, long.MinValue, long.MaxValue, long.MinValue, long.MaxValue))];
                break;
            case Argument<int> { CustomParser: null } argument:
                argument.CustomParser = result => (int)Read(result, argument.Name, int.MinValue, int.MaxValue, int.MinValue, int.MaxValue);
                break;
            case Argument<long> { CustomParser: null } argument:
                argument.CustomParser = result => Read(result, argument.Name, long.MinValue, long.MaxValue, long.MinValue, long.MaxValue);
                break;
        }
    }

    private static long Read(ArgumentResult result, string name, long min, long max, long typeMin, long typeMax, string? expected = null) =>
        ReadOne(result, result.Tokens.Count > 0 ? result.Tokens[^1].Value : "", name, min, max, typeMin, typeMax, expected);

    private static long ReadOne(ArgumentResult result, string text, string name, long min, long max, long typeMin, long typeMax, string? expected = null)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
        {
            return number;
        }

        expected ??= (min == typeMin, max == typeMax) switch
        {
            (true, true) => "a whole number",
            (false, true) => $"a whole number of {min} or more",
            _ => $"a number from {min} to {max}",
        };
        result.AddError($"{name} must be {expected} (was '{text}').");
        return 0;
    }
}
