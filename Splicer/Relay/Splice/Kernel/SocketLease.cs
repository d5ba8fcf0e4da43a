using System.Net.Sockets;

namespace Splicer.Splice.Kernel;

/// <summary>
/// A socket's file descriptor, held open for as long as the kernel path splices on it: the handle
/// cannot be closed (and its number reused by another connection) under a running splice call.
/// </summary>
internal readonly struct SocketLease : IDisposable
{
    private readonly SafeSocketHandle _handle;

    private SocketLease(SafeSocketHandle handle)
    {
        _handle = handle;
        Fd = (int)handle.DangerousGetHandle();
    }

    public int Fd { get; }

    public static SocketLease Take(Socket socket)
    {
        // Accepted sockets stay blocking at the OS level until their first async operation; a
        // blocking socket would make splice wait in the kernel and hold a pool thread.
        socket.Blocking = false;
        var handle = socket.SafeHandle;
        var added = false;
        handle.DangerousAddRef(ref added);
        return new SocketLease(handle);
    }

    public void Dispose() => _handle?.DangerousRelease();
}
