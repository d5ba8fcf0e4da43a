using System.Net;
using System.Net.Sockets;

namespace Splicer.Splice.Kernel;

/// <summary>
/// Finds out once whether splice(2) moves bytes between TCP sockets here (Linux, no sandbox in the
/// way), by relaying one byte over loopback through a pipe.
/// </summary>
internal static class KernelSpliceSupport
{
    private static readonly Lazy<string?> Unavailable = new(Probe);

    /// <summary>Null when the kernel path works; otherwise why not.</summary>
    public static string? WhyUnavailable => Unavailable.Value;

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return $"splice(2) exists only on Linux, this is {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";
        }

        string? reason = null;
        foreach (var loopback in new[] { IPAddress.Loopback, IPAddress.IPv6Loopback })
        {
            try
            {
                reason = EchoOneByte(loopback);
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or SocketException)
            {
                reason = ex.Message;
            }

            if (reason is null)
            {
                return null;
            }
        }

        return reason;
    }

    private static string? EchoOneByte(IPAddress loopback)
    {
        using var pipe = KernelPipe.Create(KernelSpliceEngine.PipeCapacity);
        using var listener = new Socket(loopback.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(loopback, 0));
        listener.Listen(1);
        using var client = new Socket(loopback.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using var server = listener.Accept();
        server.ReceiveTimeout = 2000;
        client.ReceiveTimeout = 2000;

        client.Send([42]);
        var fd = (int)server.SafeHandle.DangerousGetHandle();
        const uint flags = LinuxNative.SpliceMove | LinuxNative.SpliceNonBlock;
        if (LinuxNative.Splice(fd, 0, pipe.WriteFd, 0, 1, flags) != 1)
        {
            return "splice from a TCP socket into a pipe failed: " + LinuxNative.Describe(LinuxNative.LastError);
        }

        if (LinuxNative.Splice(pipe.ReadFd, 0, fd, 0, 1, flags) != 1)
        {
            return "splice from a pipe into a TCP socket failed: " + LinuxNative.Describe(LinuxNative.LastError);
        }

        var echo = new byte[1];
        return client.Receive(echo) == 1 && echo[0] == 42 ? null : "a byte spliced over loopback did not arrive intact";
    }
}
