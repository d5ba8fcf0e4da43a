using System.Security.Cryptography;
using Splicer.Client.Framing;
using Splicer.Client.Paths;
using Splicer.Options;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Client;

/// <summary><c>splicer pipe</c> as people run it: two processes of the built program through a real relay.</summary>
public sealed class PipeTests
{
    private const long OneWay = 256L << 20;

    /// <summary>The wormhole-style handshake line, then each side's hello: where the first frame starts on the wire.</summary>
    private const int FirstFrameOffset = 104 + PeerLink.HelloLength;

    [Fact]
    public async Task Pipe_carries_256_MiB_each_way_at_once_byte_exact_and_exits_when_both_directions_end()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto);
        using var folder = new ClientFolder();
        var url = $"tcp://127.0.0.1:{relay.EndPoint.Port}";
        var code = PairingCode.Create().Text();

        await using var left = ClientProcess.Start(folder.Path, ["pipe", code, "--relay", url]);
        await using var right = ClientProcess.Start(folder.Path, ["pipe", code, "--relay", url]);
        var flows = await Task.WhenAll(
            PipeStreams.FeedAsync(left.Input, seed: 1, OneWay), PipeStreams.FeedAsync(right.Input, seed: 2, OneWay), PipeStreams.HashAsync(left.Output), PipeStreams.HashAsync(right.Output)).WithPatience();

        Assert.Equal(0, await left.WaitForExitAsync());
        Assert.Equal(0, await right.WaitForExitAsync());
        Assert.Equal((flows[0], flows[1]), (flows[3], flows[2]));
    }

    [Fact]
    public async Task Stdin_EOF_on_one_side_closes_the_peers_stdout_while_the_other_direction_keeps_flowing()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto);
        using var folder = new ClientFolder();
        var url = $"tcp://127.0.0.1:{relay.EndPoint.Port}";
        var code = PairingCode.Create().Text();
        await using var left = ClientProcess.Start(folder.Path, ["pipe", code, "--relay", url]);
        await using var right = ClientProcess.Start(folder.Path, ["pipe", code, "--relay", url]);

        await left.Input.WriteAsync("question"u8.ToArray());
        left.Input.Close();
        Assert.Equal("question", await new StreamReader(right.Output).ReadToEndAsync().WithPatience());

        await right.Input.WriteAsync("answer after the EOF"u8.ToArray());
        right.Input.Close();
        Assert.Equal("answer after the EOF", await new StreamReader(left.Output).ReadToEndAsync().WithPatience());
        Assert.Equal((0, 0), (await left.WaitForExitAsync(), await right.WaitForExitAsync()));
    }

    [Fact]
    public async Task A_relay_that_flips_one_byte_makes_the_receiver_fail_clearly_and_write_only_the_genuine_frames_before_it()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto);
        var frame = SealedStream.HeaderLength + SealedStream.MaxPayload + SealedStream.TagLength;
        await using var meddler = new MeddlingProxy(relay.EndPoint, flipAt: FirstFrameOffset + frame + SealedStream.HeaderLength + 100);
        using var folder = new ClientFolder();
        var code = PairingCode.Create().Text();
        var sent = RandomNumberGenerator.GetBytes(1 << 20);

        await using var sender = ClientProcess.Start(folder.Path, ["pipe", code, "--relay", meddler.Url]);
        await using var receiver = ClientProcess.Start(folder.Path, ["pipe", code, "--relay", $"tcp://127.0.0.1:{relay.EndPoint.Port}"]);
        receiver.Input.Close();
        _ = sender.Input.WriteAsync(sent).AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
        var received = await ReadAllAsync(receiver.Output);

        Assert.Equal(1, await receiver.WaitForExitAsync());
        Assert.Contains("frame 1 from the peer failed authentication", receiver.Error);
        Assert.Equal(sent.AsSpan(0, SealedStream.MaxPayload).ToArray(), received);
    }

    [Fact]
    public async Task A_relay_that_cuts_the_stream_mid_transfer_is_an_error_not_a_clean_end()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto);
        await using var meddler = new MeddlingProxy(relay.EndPoint, cutAfter: FirstFrameOffset + 100_000);
        using var folder = new ClientFolder();
        var code = PairingCode.Create().Text();
        await using var sender = ClientProcess.Start(folder.Path, ["pipe", code, "--relay", meddler.Url]);
        await using var receiver = ClientProcess.Start(folder.Path, ["pipe", code, "--relay", $"tcp://127.0.0.1:{relay.EndPoint.Port}"]);
        receiver.Input.Close();
        _ = sender.Input.WriteAsync(RandomNumberGenerator.GetBytes(1 << 20)).AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
        await meddler.Cut.Task.WithPatience();

        Assert.Equal(1, await receiver.WaitForExitAsync());
        Assert.Contains("was cut after 65536 bytes, before the peer's end mark", receiver.Error);
    }

    [Fact]
    public async Task No_encryption_carries_the_bytes_as_they_are()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto);
        using var folder = new ClientFolder();
        var url = $"tcp://127.0.0.1:{relay.EndPoint.Port}";
        var code = PairingCode.Create().Text();
        await using var left = ClientProcess.Start(folder.Path, ["pipe", code, "--relay", url, "--no-encryption"]);
        await using var right = ClientProcess.Start(folder.Path, ["pipe", code, "--relay", url, "--no-encryption"]);

        var hashes = await Task.WhenAll(PipeStreams.FeedAsync(left.Input, seed: 3, length: 8 << 20), PipeStreams.HashAsync(right.Output));
        right.Input.Close();
        await ReadAllAsync(left.Output);

        Assert.Equal(hashes[0], hashes[1]);
        Assert.Equal((0, 0), (await left.WaitForExitAsync(), await right.WaitForExitAsync()));
    }

    [Fact]
    public async Task Without_a_code_pipe_prints_one_for_the_other_side()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto);
        using var folder = new ClientFolder();
        var url = $"tcp://127.0.0.1:{relay.EndPoint.Port}";
        await using var first = ClientProcess.Start(folder.Path, ["pipe", "--relay", url]);
        var line = await first.WaitForErrorLineAsync(text => text.StartsWith("Code: ", StringComparison.Ordinal));
        await using var second = ClientProcess.Start(folder.Path, ["pipe", line["Code: ".Length..].Trim(), "--relay", url]);

        await first.Input.WriteAsync("hello"u8.ToArray());
        first.Input.Close();
        second.Input.Close();

        Assert.Equal("hello", await new StreamReader(second.Output).ReadToEndAsync().WithPatience());
        Assert.Equal((0, 0), (await first.WaitForExitAsync(), await second.WaitForExitAsync()));
    }

    [Fact]
    public async Task A_mistyped_code_is_a_usage_error_naming_the_check_word()
    {
        using var folder = new ClientFolder();
        var words = PairingCode.Create().Text().Split('-');
        words[0] = words[0] == "baba" ? "babi" : "baba";

        var result = await ClientProcess.RunAsync(folder.Path, "pipe", string.Join('-', words), "--relay", "tcp://127.0.0.1:9");

        Assert.Equal(2, result.Exit);
        Assert.Contains("check word does not match", result.Error);
    }

    /// <summary>Writes <paramref name="length"/> seeded random bytes, closes the stream; returns their SHA-256.</summary>
    private static async Task<byte[]> ReadAllAsync(Stream output)
    {
        using var copy = new MemoryStream();
        await output.CopyToAsync(copy).WithPatience();
        return copy.ToArray();
    }
}
