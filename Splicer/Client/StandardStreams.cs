using Microsoft.Win32.SafeHandles;

namespace Splicer.Client;

/// <summary>
/// The process's own stdin and stdout as streams that can be closed: <c>splicer pipe</c> closes stdout when the
/// peer's direction ends, so a reader downstream sees its EOF while this side is still sending.
/// </summary>
public static class StandardStreams
{
    public static Stream Input() => OperatingSystem.IsWindows()
        ? Console.OpenStandardInput()
        : new FileStream(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, bufferSize: 0);

    public static Stream Output() => OperatingSystem.IsWindows()
        ? Console.OpenStandardOutput()
        : new FileStream(new SafeFileHandle(1, ownsHandle: true), FileAccess.Write, bufferSize: 0);
}
