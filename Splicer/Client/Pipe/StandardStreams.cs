using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Splicer.Client.Pipe;

/// <summary>
/// The process's own stdin and stdout as streams, and stdout closed for real: <c>splicer pipe</c> closes stdout
/// when the peer's direction ends, so a reader downstream sees its EOF while this side is still sending.
/// </summary>
public static partial class StandardStreams
{
    private const string Descriptors = "/proc/self/fd";

    public static Stream Input() => OperatingSystem.IsWindows()
        ? Console.OpenStandardInput()
        : new FileStream(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, bufferSize: 0);

    public static Stream Output() => OperatingSystem.IsWindows()
        ? Console.OpenStandardOutput()
        : new ClosingOutput(new SafeFileHandle(1, ownsHandle: true));

    /// <summary>
    /// The runtime keeps its own duplicate of fd 1 from start-up, so closing fd 1 alone would leave the pipe open
    /// and the reader downstream waiting. On Linux, every other descriptor of this process that is the same pipe
    /// or socket is closed too (the runtime never writes to its copy); elsewhere the EOF comes when the process exits.
    /// </summary>
    private static void CloseDuplicates(string? target)
    {
        if (target is null || !(target.StartsWith("pipe:", StringComparison.Ordinal) || target.StartsWith("socket:", StringComparison.Ordinal)))
        {
            return;
        }

        foreach (var entry in new DirectoryInfo(Descriptors).EnumerateFileSystemInfos())
        {
            if (int.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var descriptor) && descriptor > 2 && entry.LinkTarget == target)
            {
                _ = Close(descriptor);
            }
        }
    }

    /// <summary>What fd 1 is (<c>pipe:[INODE]</c>), read while it is still open; null where /proc is not.</summary>
    private static string? StandardOutputTarget() =>
        OperatingSystem.IsLinux() && Directory.Exists(Descriptors) ? new FileInfo($"{Descriptors}/1").LinkTarget : null;

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);

    private sealed class ClosingOutput(SafeFileHandle handle) : FileStream(handle, FileAccess.Write, bufferSize: 0)
    {
        private readonly string? _target = StandardOutputTarget();
        private int _closed;

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing && Interlocked.Exchange(ref _closed, 1) == 0)
            {
                CloseDuplicates(_target);
            }
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                CloseDuplicates(_target);
            }
        }
    }
}
