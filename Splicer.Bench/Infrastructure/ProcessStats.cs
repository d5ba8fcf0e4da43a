using System.Globalization;

namespace Splicer.Bench.Infrastructure;

/// <summary>Memory and CPU of another process, read from /proc (Linux only).</summary>
internal static class ProcessStats
{
    private const double ClockTicksPerSecond = 100; // USER_HZ, 100 on every Linux ABI .NET runs on

    /// <summary>Resident set size (VmRSS) in KiB, or null once the process is gone.</summary>
    public static long? ResidentKiB(int pid) => ReadStatusKiB(pid, "VmRSS:");

    /// <summary>
    /// Proportional set size (Pss) of a process and all its descendants, in KiB: the fair sum for a
    /// forking server such as socat, whose children share most of their pages.
    /// </summary>
    public static long? ProportionalTreeKiB(int pid)
    {
        long total = 0;
        var found = false;
        foreach (var member in Tree(pid))
        {
            var pss = ReadKiB($"/proc/{member}/smaps_rollup", "Pss:");
            if (pss is { } value)
            {
                total += value;
                found = true;
            }
        }

        return found ? total : null;
    }

    /// <summary>User plus system CPU seconds of the process and of its children that have been reaped.</summary>
    public static double? CpuSeconds(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // The command name may hold spaces; fields are counted from the closing parenthesis.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        double Field(int number) => double.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return (Field(14) + Field(15) + Field(16) + Field(17)) / ClockTicksPerSecond;
    }

    /// <summary>CPU seconds of a process tree: each live member plus what reaped children left behind.</summary>
    public static double? TreeCpuSeconds(int pid)
    {
        double? total = null;
        foreach (var member in Tree(pid))
        {
            if (CpuSeconds(member) is { } seconds)
            {
                total = (total ?? 0) + seconds;
            }
        }

        return total;
    }

    /// <summary>The process and every live descendant (through /proc/PID/task/TID/children).</summary>
    public static List<int> Tree(int pid)
    {
        var members = new List<int> { pid };
        for (var i = 0; i < members.Count && members.Count < 100_000; i++)
        {
            foreach (var child in Children(members[i]))
            {
                members.Add(child);
            }
        }

        return members;
    }

    private static IEnumerable<int> Children(int pid)
    {
        string[] tasks;
        try
        {
            tasks = Directory.GetDirectories($"/proc/{pid}/task");
        }
        catch (IOException)
        {
            yield break;
        }

        foreach (var task in tasks)
        {
            string children;
            try
            {
                children = File.ReadAllText(Path.Combine(task, "children"));
            }
            catch (IOException)
            {
                continue;
            }

            foreach (var child in children.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                yield return int.Parse(child, CultureInfo.InvariantCulture);
            }
        }
    }

    private static long? ReadStatusKiB(int pid, string key) => ReadKiB($"/proc/{pid}/status", key);

    private static long? ReadKiB(string path, string key)
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    var value = line[key.Length..].Trim();
                    return long.Parse(value[..value.IndexOf(' ')], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return null;
    }
}
