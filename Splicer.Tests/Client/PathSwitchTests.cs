using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Splicer.Client.Failures;
using Splicer.Client.Framing;
using Splicer.Client.Links;
using Splicer.Client.Paths;
using Splicer.Client.Paths.DirectLeg;

namespace Splicer.Tests.Client;

/// <summary>
/// The sealed stream's "moved" frame through its path switch on loopback: two connected socket pairs stand for the
/// relay path and the direct path. Every byte arrives once and in order across the switch, each direction on its
/// own, and a "moved" frame that this side never agreed to ends the stream with an integrity error.
/// </summary>
public sealed class PathSwitchTests : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    [Fact]
    public async Task Bytes_written_before_and_after_the_switch_arrive_once_in_order_and_the_paths_carry_each_part()
    {
        var (a, b) = await StreamsAsync();
        var (directA, directB) = await LinksAsync();
        var payload = RandomNumberGenerator.GetBytes(300_000);

        await a.Stream.WriteAsync(payload.AsMemory(0, 100_000));
        a.Paths.UseDirect(directA);
        b.Paths.UseDirect(directB);
        var reading = ReadAllAsync(b.Stream);
        await a.Stream.WriteAsync(payload.AsMemory(100_000));
        await a.Stream.CompleteWritesAsync(CancellationToken.None);

        Assert.Equal(payload, await reading);
        Assert.Equal((100_000L, 200_000L), (a.Paths.BytesByPath.SentRelayed, a.Paths.BytesByPath.SentDirect));
        Assert.Equal((100_000L, 200_000L), (b.Paths.BytesByPath.ReceivedRelayed, b.Paths.BytesByPath.ReceivedDirect));
    }

    [Fact]
    public async Task A_moved_frame_this_side_never_agreed_to_is_an_integrity_error()
    {
        var (a, b) = await StreamsAsync();
        var (directA, _) = await LinksAsync();
        a.Paths.UseDirect(directA);
        b.Paths.NoDirect();

        await a.Stream.WriteAsync("after the move"u8.ToArray());

        var error = await Assert.ThrowsAsync<StreamIntegrityException>(() => b.Stream.ReadAsync(new byte[64]).AsTask());
        Assert.Contains("never agreed", error.Message);
    }

    public void Dispose() => _owned.ForEach(owned => owned.Dispose());

    private async Task<((SealedStream Stream, PathSwitch Paths) A, (SealedStream Stream, PathSwitch Paths) B)> StreamsAsync()
    {
        var (relayA, relayB) = await LinksAsync();
        var (keyA, keyB) = (RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
        var a = Sealed(relayA, keyA, keyB);
        var b = Sealed(relayB, keyB, keyA);
        _owned.Add(a.Stream);
        _owned.Add(b.Stream);
        return (a, b);
    }

    private static (SealedStream Stream, PathSwitch Paths) Sealed(RelayLink relay, byte[] sendKey, byte[] receiveKey)
    {
        var paths = new PathSwitch(relay, new DirectProof(sendKey, receiveKey));
        return (new SealedStream(paths, sendKey, receiveKey), paths);
    }

    private async Task<(RelayLink, RelayLink)> LinksAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var dialer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await dialer.ConnectAsync(listener.LocalEndPoint!);
        var accepted = await listener.AcceptAsync();
        var pair = (new TcpLink(dialer), new TcpLink(accepted));
        _owned.Add(pair.Item1);
        _owned.Add(pair.Item2);
        return pair;
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var all = new MemoryStream();
        await stream.CopyToAsync(all);
        return all.ToArray();
    }
}
