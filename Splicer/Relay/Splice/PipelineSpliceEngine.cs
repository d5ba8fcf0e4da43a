using System.IO.Pipelines;
using System.Net.Sockets;
using Splicer.Splice.Pacing;

namespace Splicer.Splice;

/// <summary>
/// Copies through System.IO.Pipelines. Reads start with a zero-byte read, so an idle session holds
/// no buffer, and the next read waits until the last one is sent, so a slow receiver slows its
/// sender and at most one buffer per direction is held.
/// </summary>
internal sealed class PipelineSpliceEngine : ISpliceEngine
{
    public const int BufferSize = 128 * 1024;

    private static readonly StreamPipeReaderOptions ReaderOptions = new(
        bufferSize: BufferSize, minimumReadSize: 16 * 1024, leaveOpen: true, useZeroByteReads: true);

    public string Name => "pipelines";

    public async Task<SpliceEnd> RunAsync(SpliceSession session)
    {
        // Both readers exist before either pump runs: a socket whose sending half is shut down
        // no longer counts as connected, and a NetworkStream cannot be made over it then.
        // A paced direction reads the socket itself, a step at a time (PacedCopy).
        var fromA = session.AToB.Pacer is null ? CreateReader(session.A.Socket) : null;
        var fromB = session.BToA.Pacer is null ? CreateReader(session.B.Socket) : null;
        var aToB = Pump(fromA, session.AToB, session.Aborted);
        var bToA = Pump(fromB, session.BToA, session.Aborted);
        return SpliceEnd.Both(await aToB, await bToA);
    }

    private static Task<SpliceEnd> Pump(PipeReader? reader, SpliceDirection direction, CancellationToken aborted) =>
        reader is null ? PacedCopy.PumpAsync(direction, direction.Pacer!, aborted) : PumpAsync(reader, direction, aborted);

    private static PipeReader CreateReader(Socket socket) =>
        PipeReader.Create(new NetworkStream(socket, ownsSocket: false), ReaderOptions);

    private static async Task<SpliceEnd> PumpAsync(PipeReader reader, SpliceDirection direction, CancellationToken aborted)
    {
        var target = direction.To.Socket;
        try
        {
            if (direction.TakeHandedOverReadiness() is { } handedOver)
            {
                await handedOver.WaitAsync(aborted);
            }

            while (true)
            {
                var result = await reader.ReadAsync(aborted);
                var buffer = result.Buffer;
                if (!buffer.IsEmpty)
                {
                    direction.Buffered(buffer.Length);
                    foreach (var segment in buffer)
                    {
                        await target.SendAsync(segment, SocketFlags.None, aborted);
                    }

                    direction.Relayed(buffer.Length);
                }

                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    target.Shutdown(SocketShutdown.Send);
                    return SpliceEnd.Finished;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return SpliceEnd.Aborted;
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            return SpliceEnd.FailSession(direction, ex, aborted);
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }
}
