using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using Splicer.Options;

namespace Splicer.Accept;

/// <summary>
/// The process's open-files limit, shared out among everything that takes a descriptor. At start the
/// soft limit is raised to the hard one and the descriptors already open are counted (the runtime keeps
/// every loaded assembly open; a JIT build holds about 270). What remains, less <see cref="Headroom"/>
/// for the admin's connections, state files and assemblies loaded later, is one count that relayed
/// connections and the kernel path's pipes both take from. Connections stop <see cref="PipeReserve"/>
/// short of it, so a flood that fills the relay still leaves running sessions their pipes, and
/// nothing in the process meets EMFILE.
/// </summary>
internal sealed partial class DescriptorBudget
{
    /// <summary>Kept free beyond what was open at start: the admin's connections (it takes at most 64), SQLite, late assemblies.</summary>
    public const int Headroom = 160;

    /// <summary>Kept for pipes: a full relay still lets 32 directions of running sessions splice at once.</summary>
    public const int PipeReserve = 64;

    private const int RlimitNoFile = 7;

    private int _taken;

    public DescriptorBudget(IOptions<SplicerOptions> options)
    {
        Configured = options.Value.MaxConnections;
        Limit = RaiseSoftLimit();
        OpenAtStart = CountOpen();
        Capacity = Limit is { } limit ? (int)Math.Max(PipeReserve + 1, Math.Min(int.MaxValue / 2, (long)limit - OpenAtStart - Headroom)) : int.MaxValue / 2;
        MaxConnections = Math.Min(Configured, Capacity - PipeReserve);
    }

    /// <summary>The open-files limit in force, or null where it cannot be read.</summary>
    public ulong? Limit { get; }

    /// <summary>Descriptors the process held before it relayed anything.</summary>
    public int OpenAtStart { get; }

    /// <summary>Descriptors that connections and pipes may hold together.</summary>
    public int Capacity { get; }

    public int Configured { get; }

    /// <summary>The total connection limit that applies.</summary>
    public int MaxConnections { get; }

    public bool IsClamped => MaxConnections < Configured;

    /// <summary>Descriptors held by connections and pipes now.</summary>
    public int Taken => Volatile.Read(ref _taken);

    /// <summary>No descriptor is left for one more connection.</summary>
    public bool ConnectionsExhausted => Taken >= Capacity - PipeReserve;

    /// <summary>One descriptor for a connection, unless only the pipes' reserve is left.</summary>
    public bool TryTakeConnection() => TryTake(1, Capacity - PipeReserve);

    /// <summary>Two descriptors for a pipe, unless the budget is spent.</summary>
    public bool TryTakePipe() => TryTake(2, Capacity);

    public void ReleaseConnection() => Interlocked.Decrement(ref _taken);

    public void ReleasePipe() => Interlocked.Add(ref _taken, -2);

    /// <summary>The open-files limit now (another process, e.g. prlimit, may have changed it since start).</summary>
    public static ulong? CurrentLimit() =>
        OperatingSystem.IsLinux() && GetResourceLimit(RlimitNoFile, out var limit) == 0 ? limit.Current : null;

    private bool TryTake(int count, int ceiling)
    {
        var taken = Volatile.Read(ref _taken);
        while (taken + count <= ceiling)
        {
            var seen = Interlocked.CompareExchange(ref _taken, taken + count, taken);
            if (seen == taken)
            {
                return true;
            }

            taken = seen;
        }

        return false;
    }

    private static int CountOpen()
    {
        try
        {
            return Directory.Exists("/proc/self/fd") ? Directory.EnumerateFileSystemEntries("/proc/self/fd").Count() : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static ulong? RaiseSoftLimit()
    {
        if (!OperatingSystem.IsLinux() || GetResourceLimit(RlimitNoFile, out var limit) != 0)
        {
            return null;
        }

        if (limit.Current < limit.Maximum && SetResourceLimit(RlimitNoFile, limit with { Current = limit.Maximum }) == 0)
        {
            return limit.Maximum;
        }

        return limit.Current;
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct ResourceLimit(ulong Current, ulong Maximum);

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetResourceLimit(int resource, out ResourceLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetResourceLimit(int resource, in ResourceLimit limit);
}
