using System.Text;
using Splicer.Accounting;
using Splicer.Endings;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Relay;

public abstract partial class RelayContractTests
{
    [RequiresFact]
    public async Task New_form_handshakes_with_different_sides_are_paired_and_relay_both_ways()
    {
        await using var relay = await StartRelayAsync();
        var (first, second) = await TestClient.PairAsync(relay);
        using (first)
        using (second)
        {
            await first.SendAsync("from first");
            Assert.Equal("from first", Encoding.ASCII.GetString(await second.ReadExactlyAsync(10)));
            await second.SendAsync("from second");
            Assert.Equal("from second", Encoding.ASCII.GetString(await first.ReadExactlyAsync(11)));
        }
    }

    [RequiresFact]
    public async Task Old_form_handshakes_are_paired()
    {
        await using var relay = await StartRelayAsync();
        var token = Pairing.NewToken();
        using var first = await TestClient.RequestAsync(relay.EndPoint, token, side: null);
        using var second = await TestClient.RequestAsync(relay.EndPoint, token, side: null);

        Assert.Equal("ok\n", await first.ReadLineAsync());
        Assert.Equal("ok\n", await second.ReadLineAsync());
    }

    [RequiresFact]
    public async Task Handshake_sent_one_byte_at_a_time_is_accepted()
    {
        await using var relay = await StartRelayAsync();
        var token = Pairing.NewToken();
        using var first = await TestClient.RequestAsync(relay.EndPoint, token, Pairing.NewSide());
        using var second = await TestClient.ConnectAsync(relay.EndPoint);

        foreach (var b in Encoding.ASCII.GetBytes(Pairing.Handshake(token, Pairing.NewSide())))
        {
            await second.SendAsync(new[] { b });
        }

        Assert.Equal("ok\n", await first.ReadLineAsync());
        Assert.Equal("ok\n", await second.ReadLineAsync());
    }

    public static TheoryData<string, byte[]> BadHandshakes => new()
    {
        { "binary", [0x16, 0x03, 0x01, 0x00, 0xff, 0x00, 0x0a] },
        { "short token", "please relay abc\n"u8.ToArray() },
        { "token with a dash", Encoding.ASCII.GetBytes($"please relay {new string('a', 63)}-\n") },
        { "short side", Encoding.ASCII.GetBytes($"please relay {new string('a', 64)} for side {new string('b', 15)}\n") },
        { "upper case words", Encoding.ASCII.GetBytes($"PLEASE RELAY {new string('a', 64)}\n") },
        { "oversized token", Encoding.ASCII.GetBytes($"please relay {new string('a', 4096)}\n") },
        { "empty line", "\n"u8.ToArray() },
    };

    [RequiresTheory]
    [MemberData(nameof(BadHandshakes))]
    public async Task Anything_that_is_not_a_handshake_gets_bad_handshake_and_a_close(string kind, byte[] bytes)
    {
        await using var relay = await StartRelayAsync();
        using var client = await TestClient.ConnectAsync(relay.EndPoint);

        await client.SendAsync(bytes);

        Assert.Equal("bad handshake\n", await client.ReadLineAsync());
        await client.WaitClosedAsync();
        var record = await relay.Records.WaitForAsync(Outcome.Errory);
        Assert.Contains("bad handshake", record.Detail);
        await Patience.Until(() => relay.Services.OpenConnections() == 0, $"the {kind} connection to be released");
    }

    [RequiresFact]
    public async Task Handshake_is_refused_at_the_first_impossible_byte_without_waiting_for_a_newline()
    {
        await using var relay = await StartRelayAsync();
        using var client = await TestClient.ConnectAsync(relay.EndPoint);

        await client.SendAsync("please relax");

        Assert.Equal("bad handshake\n", await client.ReadLineAsync());
        var record = await relay.Records.WaitForAsync(Outcome.Errory);
        Assert.Contains("offset 11", record.Detail);
    }

    [RequiresFact]
    public async Task Bytes_sent_with_the_handshake_before_ok_are_impatient()
    {
        await using var relay = await StartRelayAsync();
        using var client = await TestClient.ConnectAsync(relay.EndPoint);

        await client.SendAsync(Pairing.Handshake(Pairing.NewToken(), Pairing.NewSide()) + "too early");

        Assert.Equal("impatient\n", await client.ReadLineAsync());
        await client.WaitClosedAsync();
        Assert.Equal("sent data before ok", (await relay.Records.WaitForAsync(Outcome.Errory)).Detail);
    }

    [RequiresFact]
    public async Task Bytes_sent_while_waiting_for_a_partner_are_impatient()
    {
        await using var relay = await StartRelayAsync();
        var token = Pairing.NewToken();
        using var client = await TestClient.RequestAsync(relay.EndPoint, token, Pairing.NewSide());
        await Patience.Until(() => relay.Services.WaitingConnections() == 1, "the client to wait");

        await client.SendAsync("x");

        Assert.Equal("impatient\n", await client.ReadLineAsync());
        await relay.Records.WaitForAsync(Outcome.Errory);
        Assert.Equal(0, relay.Services.WaitingConnections());
    }

    [RequiresFact]
    public async Task Client_that_closes_mid_handshake_is_recorded_without_a_reply()
    {
        await using var relay = await StartRelayAsync();
        using var client = await TestClient.ConnectAsync(relay.EndPoint);

        await client.SendAsync("please rel");
        client.ShutdownSend();

        Assert.Equal(Closure.Fin, await client.WaitClosedAsync());
        Assert.Contains("closed after 10 bytes", (await relay.Records.WaitForAsync(Outcome.Errory)).Detail);
    }
}
