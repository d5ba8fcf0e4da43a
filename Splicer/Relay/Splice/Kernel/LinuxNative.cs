using System.Runtime.InteropServices;

namespace Splicer.Splice.Kernel;

/// <summary>The few Linux calls the kernel data path needs (x64 and arm64 numbering).</summary>
internal static partial class LinuxNative
{
    private const string Libc = "libc";

    public const uint SpliceMove = 1;
    public const uint SpliceNonBlock = 2;

    public const int OpenNonBlock = 0x800;
    public const int OpenCloseOnExec = 0x80000;

    public const int SetPipeSize = 1031;
    public const int GetPipeSize = 1032;

    public const int Interrupted = 4;
    public const int TryAgain = 11;

    [LibraryImport(Libc, EntryPoint = "splice", SetLastError = true)]
    public static partial nint Splice(int fdIn, nint offsetIn, int fdOut, nint offsetOut, nuint length, uint flags);

    [LibraryImport(Libc, EntryPoint = "pipe2", SetLastError = true)]
    public static unsafe partial int Pipe2(int* fds, int flags);

    [LibraryImport(Libc, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport(Libc, EntryPoint = "read", SetLastError = true)]
    public static unsafe partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    public static int LastError => Marshal.GetLastPInvokeError();

    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
