using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;
using Splicer.Accept;

namespace Splicer.Splice.Kernel;

/// <summary>
/// A small bounded stock of empty pipes. Directions rent one only while bytes flow and give it back
/// when their socket runs dry, so idle sessions hold no pipe and no file descriptor beyond their sockets.
/// Every pipe, rented or pooled, holds two descriptors of the <see cref="DescriptorBudget"/>; when the
/// budget is spent no pipe is made (and no pipe2 call fails), and the direction copies through user space.
/// </summary>
internal sealed class PipePool(int pipeCapacity, int maxPooled, DescriptorBudget descriptors) : IDisposable
{
    private readonly Stack<KernelPipe> _idle = new();
    private int _rented;
    private bool _disposed;

    public int PipeCapacity => pipeCapacity;

    /// <summary>Pipes in use by a flowing direction now.</summary>
    public int Rented => Volatile.Read(ref _rented);

    public int Pooled
    {
        get
        {
            lock (_idle)
            {
                return _idle.Count;
            }
        }
    }

    /// <summary>An empty pipe, or false when none can be made now (the process is out of file descriptors).</summary>
    public bool TryRent([NotNullWhen(true)] out KernelPipe? pipe)
    {
        lock (_idle)
        {
            _idle.TryPop(out pipe);
        }

        if (pipe is null && !TryCreate(out pipe))
        {
            return false;
        }

        Interlocked.Increment(ref _rented);
        return true;
    }

    /// <summary>Takes an empty pipe back; a pipe still holding bytes (a direction that failed mid-way) is closed.</summary>
    public void Return(KernelPipe pipe)
    {
        Interlocked.Decrement(ref _rented);
        if (pipe.Held == 0)
        {
            lock (_idle)
            {
                if (!_disposed && _idle.Count < maxPooled)
                {
                    _idle.Push(pipe);
                    return;
                }
            }
        }

        Close(pipe);
    }

    public void Dispose()
    {
        lock (_idle)
        {
            _disposed = true;
            while (_idle.TryPop(out var pipe))
            {
                Close(pipe);
            }
        }
    }

    private bool TryCreate([NotNullWhen(true)] out KernelPipe? pipe)
    {
        pipe = null;
        if (!descriptors.TryTakePipe())
        {
            return false;
        }

        try
        {
            pipe = KernelPipe.Create(pipeCapacity);
            return true;
        }
        catch (SocketException)
        {
            descriptors.ReleasePipe();
            return false;
        }
    }

    private void Close(KernelPipe pipe)
    {
        pipe.Dispose();
        descriptors.ReleasePipe();
    }
}
