using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace Splicer.Client.Transfer;

/// <summary>
/// How far a transfer is: a Spectre.Console bar (bytes, rate, time left) when stdout is a terminal, else one
/// plain line a second and one at the end, for logs and scripts.
/// </summary>
public static class TransferProgress
{
    public static Task RunAsync(string label, long total, long already, Func<Action<long>, Task> work) =>
        Console.IsOutputRedirected ? PlainAsync(label, total, already, work) : BarAsync(label, total, already, work);

    private static Task BarAsync(string label, long total, long already, Func<Action<long>, Task> work) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(),
                new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(label), maxValue: Math.Max(total, 1));
                task.Increment(already);
                await work(count => task.Increment(count));
                task.Value = task.MaxValue;
            });

    private static async Task PlainAsync(string label, long total, long already, Func<Action<long>, Task> work)
    {
        var done = already;
        var clock = Stopwatch.StartNew();
        var lastPrint = TimeSpan.Zero;
        await work(count =>
        {
            var now = Interlocked.Add(ref done, count);
            if (clock.Elapsed - lastPrint >= TimeSpan.FromSeconds(1))
            {
                lastPrint = clock.Elapsed;
                Console.WriteLine(Line(label, now, total, already, clock.Elapsed));
            }
        });
        Console.WriteLine(Line(label, Interlocked.Read(ref done), total, already, clock.Elapsed));
    }

    private static string Line(string label, long done, long total, long already, TimeSpan elapsed)
    {
        var rate = elapsed.TotalSeconds > 0 ? (done - already) / elapsed.TotalSeconds : 0;
        var left = rate > 0 ? TimeSpan.FromSeconds(Math.Ceiling((total - done) / rate)) : (TimeSpan?)null;
        var percent = total == 0 ? 100 : done * 100 / total;
        return string.Create(CultureInfo.InvariantCulture,
            $"{label}: {Size(done)} of {Size(total)} ({percent}%), {Size((long)rate)}/s, {(left is { } time ? $"{time:hh\\:mm\\:ss} left" : "time left unknown")}");
    }

    public static string Size(long bytes) => Splicer.Text.ByteSizes.Text(bytes, "0.0");
}
