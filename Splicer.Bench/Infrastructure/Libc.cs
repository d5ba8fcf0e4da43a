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

    /// <summary>The soft open-files limit now (inherited by the relays the bench starts); null where it cannot be read.</summary>
    public static ulong? FileDescriptorLimit() =>
        OperatingSystem.IsLinux() && GetResourceLimit(RlimitNoFile, out var limit) == 0 ? limit.Current : null;

    /// <summary>Enough for 20 000 idle pairs: 40 000 sockets in the bench and as many in the relay.</summary>
    private const ulong WantedFileDescriptors = 65_536;

    /// <summary>
    /// Raises the soft open-files limit to the hard one (and, for root, the hard one to what 20 000
    /// pairs need); child processes inherit it.
    /// </summary>
    public static ulong RaiseFileDescriptorLimit()
    {
        if (!OperatingSystem.IsLinux() || GetResourceLimit(RlimitNoFile, out var limit) != 0)
        {
            return 0;
        }

        if (limit.Maximum < WantedFileDescriptors && SetResourceLimit(RlimitNoFile, new ResourceLimit { Current = WantedFileDescriptors, Maximum = WantedFileDescriptors }) == 0)
        {
            return WantedFileDescriptors;
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
