using System.Security.Cryptography;
using Splicer.Endings;
using Splicer.Hosting;
using Splicer.Options;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Wormhole;

/// <summary>Debian's real magic-wormhole client sends a file through Splicer as its transit relay.</summary>
public sealed class WormholeClientTests
{
    [RequiresFact(Prerequisite.Wormhole)]
    public async Task Wormhole_send_and_receive_move_a_file_byte_exact_through_the_relay()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto);
        var session = await SendFileAsync(relay);
        Assert.Null(session.DoorA);
    }

    [Fact]
    public async Task In_doors_mode_wormhole_moves_a_file_through_an_address_door()
    {
        await using var relay = await DoorsRelay.StartAsync();
        var door = await relay.OpenAddressDoorAsync("127.0.0.0/8");

        var session = await SendFileAsync(relay.Host);

        Assert.Equal((door.Id, door.Id), (session.DoorA, session.DoorB));
    }

    /// <summary>Sends a 3 MiB file with the real client through <paramref name="relay"/>; returns the happy session that carried it.</summary>
    private static async Task<SessionRecord> SendFileAsync(RelayHost relay)
    {
        Assert.True(File.Exists("/usr/bin/wormhole"), "magic-wormhole is not installed (./test.sh installs it)");
        var work = Directory.CreateTempSubdirectory("splicer-wormhole-");
        try
        {
            var mailboxPort = FreePort.Next();
            await using var mailbox = ExternalProcess.Start("twist3",
                ["wormhole-mailbox", $"--port=tcp:{mailboxPort}:interface=127.0.0.1", $"--channel-db={work.FullName}/mailbox.sqlite"],
                work.FullName);
            await ExternalProcess.WaitForPortAsync(mailboxPort);

            var payload = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
            var sent = Path.Combine(work.FullName, "payload.bin");
            await File.WriteAllBytesAsync(sent, payload);
            var received = Path.Combine(work.FullName, "received.bin");
            string[] common = ["--relay-url", $"ws://127.0.0.1:{mailboxPort}/v1", "--transit-helper", $"tcp:127.0.0.1:{relay.EndPoint.Port}"];
            const string code = "7-splicer-relay";

            await using var sender = ExternalProcess.Start("wormhole",
                [.. common, "send", "--no-listen", "--hide-progress", "--code", code, sent], work.FullName);
            await using var receiver = ExternalProcess.Start("wormhole",
                [.. common, "receive", "--no-listen", "--hide-progress", "--accept-file", "--output-file", received, code], work.FullName);

            Assert.True(await receiver.WaitForExitAsync(TimeSpan.FromMinutes(3)) == 0, receiver.Output);
            Assert.True(await sender.WaitForExitAsync(TimeSpan.FromMinutes(1)) == 0, sender.Output);
            Assert.Equal(SHA256.HashData(payload), SHA256.HashData(await File.ReadAllBytesAsync(received)));

            var session = await relay.Records.WaitForAsync(r => r is SessionRecord s && s.BytesAToB + s.BytesBToA >= payload.Length);
            Assert.Equal(Outcome.Happy, session.Outcome);
            return (SessionRecord)session;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
