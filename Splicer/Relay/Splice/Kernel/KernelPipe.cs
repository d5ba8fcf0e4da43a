namespace Splicer.Splice.Kernel;

/// <summary>
/// A non-blocking pipe used as the in-kernel buffer between two sockets, and how many bytes it holds
/// now. One direction uses it at a time; it goes back to the <see cref="PipePool"/> when empty.
/// </summary>
internal sealed class KernelPipe : IDisposable
{
    private int _readFd;
    private int _writeFd;

    private KernelPipe(int readFd, int writeFd, int capacity)
    {
        _readFd = readFd;
        _writeFd = writeFd;
        Capacity = capacity;
    }

    public int ReadFd => _readFd;

    public int WriteFd => _writeFd;

    /// <summary>What the kernel granted; less than asked when the user's pipe quota is spent.</summary>
    public int Capacity { get; }

    /// <summary>Bytes spliced in and not yet out.</summary>
    public int Held { get; set; }

    public static unsafe KernelPipe Create(int wantedCapacity)
    {
        var fds = stackalloc int[2];
        if (LinuxNative.Pipe2(fds, LinuxNative.OpenNonBlock | LinuxNative.OpenCloseOnExec) != 0)
        {
            throw SpliceErrors.ToException(LinuxNative.LastError, "pipe2");
        }

        // A larger pipe moves more per splice call; the kernel may refuse (quota), then the default serves.
        LinuxNative.Fcntl(fds[1], LinuxNative.SetPipeSize, wantedCapacity);
        var capacity = LinuxNative.Fcntl(fds[1], LinuxNative.GetPipeSize, 0);
        return new KernelPipe(fds[0], fds[1], capacity > 0 ? capacity : 64 * 1024);
    }

    public void Dispose()
    {
        var readFd = Interlocked.Exchange(ref _readFd, -1);
        var writeFd = Interlocked.Exchange(ref _writeFd, -1);
        if (readFd >= 0)
        {
            LinuxNative.Close(readFd);
            LinuxNative.Close(writeFd);
        }
    }
}
