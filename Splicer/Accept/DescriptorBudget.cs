using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using Splicer.Options;

namespace Splicer.Accept;

/// <summary>
/// How many connections fit in the process's file descriptor limit. At start the soft limit is
/// raised to the hard one; when <c>Splicer:MaxConnections</c> still does not fit, beside the
/// descriptors the runtime, the admin and the kernel path's pipes need, it is clamped (the listener
/// warns), so the relay refuses with a line at its limit instead of failing to accept.
/// </summary>
internal sealed partial class DescriptorBudget
{
    /// <summary>Descriptors kept for everything that is not a relayed connection.</summary>
    public const int Reserved = 256;

    private const int RlimitNoFile = 7;

    public DescriptorBudget(IOptions<SplicerOptions> options)
    {
        Configured = options.Value.MaxConnections;
        Limit = RaiseSoftLimit();
        MaxConnections = Limit is { } limit && limit - Reserved < (ulong)Configured
            ? (int)Math.Max(1, (long)limit - Reserved)
            : Configured;
    }

    /// <summary>The open-files limit in force, or null where it cannot be read.</summary>
    public ulong? Limit { get; }

    public int Configured { get; }

    /// <summary>The total connection limit that applies.</summary>
    public int MaxConnections { get; }

    public bool IsClamped => MaxConnections < Configured;

    /// <summary>The open-files limit now (another process, e.g. prlimit, may have changed it since start).</summary>
    public static ulong? CurrentLimit() =>
        OperatingSystem.IsLinux() && GetResourceLimit(RlimitNoFile, out var limit) == 0 ? limit.Current : null;

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
