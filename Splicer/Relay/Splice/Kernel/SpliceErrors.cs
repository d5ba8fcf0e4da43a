using System.Net.Sockets;

namespace Splicer.Splice.Kernel;

/// <summary>Turns an errno from splice(2) into the SocketException the rest of the relay already understands.</summary>
internal static class SpliceErrors
{
    public static SocketException ToException(int errno, string call)
    {
        var error = errno switch
        {
            32 => SocketError.Shutdown,              // EPIPE
            101 => SocketError.NetworkUnreachable,   // ENETUNREACH
            103 => SocketError.ConnectionAborted,    // ECONNABORTED
            104 => SocketError.ConnectionReset,      // ECONNRESET
            107 => SocketError.NotConnected,         // ENOTCONN
            110 => SocketError.TimedOut,             // ETIMEDOUT
            113 => SocketError.HostUnreachable,      // EHOSTUNREACH
            _ => SocketError.SocketError,
        };
        return new SocketException((int)error, $"{call}: {LinuxNative.Describe(errno)}");
    }
}
