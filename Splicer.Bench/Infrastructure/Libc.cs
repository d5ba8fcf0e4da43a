using System.Runtime.InteropServices;

namespace Splicer.Bench.Infrastructure;

/// <summary>The few libc calls .NET does not expose: a polite SIGTERM and the file descriptor limit.</summary>
internal static partial class Libc
{
    public const int SigTerm = 15;
    private const int RlimitNoFile = 7;

    [StructLayout(LayoutKind.Sequential)]
    public struct ResourceLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetResourceLimit(int resource, out ResourceLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetResourceLimit(int resource, in ResourceLimit limit);

    /// <summary>Raises the soft open-files limit to the hard one; child processes inherit it.</summary>
    public static ulong RaiseFileDescriptorLimit()
    {
        if (!OperatingSystem.IsLinux() || GetResourceLimit(RlimitNoFile, out var limit) != 0)
        {
            return 0;
        }

        if (limit.Current < limit.Maximum)
        {
            var raised = limit with { Current = limit.Maximum };
            if (SetResourceLimit(RlimitNoFile, raised) == 0)
            {
                return raised.Current;
            }
        }

        return limit.Current;
    }
}
