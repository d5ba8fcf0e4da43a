using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Splicer.Tests.Infrastructure;

/// <summary>A one-way transfer through a paced relay, checked byte for byte, with its rate measured.</summary>
internal static class PacedTransfer
{
    /// <summary>Sends the payload from one side while the other reads it; checks every byte by its hash. Returns how long the send took.</summary>
    public static async Task<TimeSpan> RunAsync(TestClient from, TestClient to, byte[] payload, RateMeter meter)
    {
        var clock = Stopwatch.StartNew();
        var sending = Task.Run(async () =>
        {
            await from.Socket.SendAsync(payload, SocketFlags.None);
            return clock.Elapsed;
        });

        var received = new byte[payload.Length];
        for (var read = 0; read < received.Length;)
        {
            var count = await to.Socket.ReceiveAsync(received.AsMemory(read), SocketFlags.None).WithPatience();
            Assert.NotEqual(0, count);
            read += count;
            meter.Received(count);
        }

        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(received));
        return await sending.WithPatience();
    }
}

/// <summary>
/// Bytes received by every transfer of a test, and the rate in steady state: counted from the
/// moment the bucket's first burst (a few steps, let go at once) has arrived to the last byte.
/// </summary>
internal sealed class RateMeter(long burst)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _bytes;
    private long _markBytes = -1;
    private TimeSpan _markTime;
    private TimeSpan _lastTime;

    public TimeSpan Elapsed => _lastTime;

    public void Received(int count)
    {
        lock (_clock)
        {
            _bytes += count;
            _lastTime = _clock.Elapsed;
            if (_markBytes < 0 && _bytes >= burst)
            {
                (_markBytes, _markTime) = (_bytes, _lastTime);
            }
        }
    }

    /// <summary>
    /// Never more than 10 % over the cap. Below it only as far as a busy 2-core test machine can
    /// explain (half the cap): how close a quiet box comes to the cap is the bench's to measure.
    /// </summary>
    public void AssertRate(long bytesPerSecond)
    {
        var seconds = (_lastTime - _markTime).TotalSeconds;
        var measured = (_bytes - _markBytes) / seconds;
        Assert.True(measured >= bytesPerSecond * 0.5 && measured <= bytesPerSecond * 1.1,
            $"{_bytes - _markBytes} bytes at a cap of {bytesPerSecond} B/s took {seconds:F2}s after the first burst: {measured:F0} B/s");
    }
}
