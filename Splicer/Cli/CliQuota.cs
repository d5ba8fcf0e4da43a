using System.CommandLine;
using Splicer.Admin;
using Splicer.Admin.Api;
using Splicer.Admin.Hosting;
using Splicer.Client.Verbs;

namespace Splicer.Cli;

/// <summary><c>splicer identity quota</c> and <c>splicer door quota</c>: what a subject may use, set as a whole.</summary>
internal static class CliQuota
{
    public static Command Command(string what)
    {
        var id = SplicerCli.IdArgument(what);
        var day = SizeOption("--day", "Bytes a day (UTC), both directions, all its sessions together (e.g. 5G)");
        var month = SizeOption("--month", "Bytes a calendar month (UTC), both directions, all its sessions together (e.g. 100G)");
        var sessions = new Option<int?>("--sessions") { Description = "Sessions at once", HelpName = "N" };
        var rate = SizeOption("--rate", "Bytes a second, shared by its sessions (e.g. 2M for 2 MB/s)");
        QuotaView Quota(ParseResult parse) =>
            new(Size(parse.GetValue(day)), Size(parse.GetValue(month)), parse.GetValue(sessions), Size(parse.GetValue(rate)));
        return AdminVerb.Create<QuotaView>(
            "quota",
            VerbText.Described(
                $"Sets what the {what} may use; what is left out has no limit, so no option at all clears the quota. "
                + "Running sessions follow within a second; a spent quota refuses new sessions with 'quota_spent'.",
                $"splicer {what} quota 4 --day 5G --month 100G --sessions 3 --rate 2M",
                $"splicer {what} quota 4"),
            [id, day, month, sessions, rate],
            (client, parse, cancellationToken) => client.PutAsync(
                what == "identity" ? $"api/identities/{parse.GetValue(id)}/quota" : $"api/doors/{parse.GetValue(id)}/quota", Quota(parse), cancellationToken),
            (parse, _) => Console.WriteLine(Quota(parse) is var quota && quota == QuotaView.None
                ? $"The {what} {parse.GetValue(id)} has no quota now."
                : $"The {what} {parse.GetValue(id)} may use: {Describe(quota)}."));
    }

    public static string Describe(QuotaView quota) => string.Join(", ", new[]
    {
        quota.BytesPerDay is { } perDay ? $"{CliTable.Bytes(perDay)} a day" : null,
        quota.BytesPerMonth is { } perMonth ? $"{CliTable.Bytes(perMonth)} a month" : null,
        quota.Sessions is { } count ? $"{count} sessions at once" : null,
        quota.BytesPerSecond is { } perSecond ? $"{CliTable.Bytes(perSecond)}/s" : null,
    }.OfType<string>());

    private static Option<string?> SizeOption(string name, string description) =>
        new Option<string?>(name) { Description = description, HelpName = "SIZE" }
            .Checked(text => AdminText.TryParseBytes(text, out _), "must be a size such as 500M or 10G");

    private static long? Size(string? text) => text is not null && AdminText.TryParseBytes(text, out var bytes) ? bytes : null;
}
