using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Splicer.Endings;
using Splicer.Options;
using Splicer.Tests.Infrastructure;
using Splicer.Transport;

namespace Splicer.Tests.Transport;

/// <summary>WebSocket clients on the splice port: one rule per test.</summary>
public sealed class WebSocketTransportTests
{
    [Fact]
    public async Task A_handshake_split_over_several_messages_pairs()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto);
        var token = Pairing.NewToken();
        using var tcp = await TestClient.RequestAsync(relay.EndPoint, token, Pairing.NewSide());
        await Patience.Until(() => relay.Services.WaitingConnections() > 0, "the tcp client to wait");
        using var webSocket = await TransportPeer.UpgradeAsync(relay.EndPoint, "ws", null);

        var handshake = Encoding.ASCII.GetBytes(Pairing.Handshake(token, Pairing.NewSide()));
        foreach (var part in handshake.Chunk(7))
        {
            await webSocket.SendAsync(part, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None).WithPatience();
        }

        Assert.Equal("ok\n", await tcp.ReadLineAsync());
        Assert.Equal("ok\n", await ReceiveTextAsync(webSocket, 3));
    }

    [Fact]
    public async Task A_handshake_and_data_in_one_message_pair_and_the_data_reaches_the_partner()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto);
        var token = Pairing.NewToken();
        using var webSocket = await TransportPeer.UpgradeAsync(relay.EndPoint, "ws", null);
        var message = Encoding.ASCII.GetBytes(Pairing.Handshake(token, Pairing.NewSide()) + "data sent with the handshake\n");
        await webSocket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None).WithPatience();
        await Patience.Until(() => relay.Services.WaitingConnections() > 0, "the WebSocket client to wait");

        using var tcp = await TestClient.RequestAsync(relay.EndPoint, token, Pairing.NewSide());

        Assert.Equal("ok\n", await tcp.ReadLineAsync());
        Assert.Equal("data sent with the handshake\n", await tcp.ReadLineAsync());
        Assert.Equal("ok\n", await ReceiveTextAsync(webSocket, 3));
    }

    [Fact]
    public async Task A_text_message_is_refused_with_a_close_code_and_reason()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto);
        using var webSocket = await TransportPeer.UpgradeAsync(relay.EndPoint, "ws", null);

        await webSocket.SendAsync(Encoding.ASCII.GetBytes(Pairing.Handshake(Pairing.NewToken(), null)), WebSocketMessageType.Text, true, CancellationToken.None).WithPatience();

        var received = await webSocket.ReceiveAsync(new byte[256], CancellationToken.None).WithPatience();
        Assert.Equal(WebSocketMessageType.Close, received.MessageType);
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, webSocket.CloseStatus);
        Assert.Equal("binary messages only", webSocket.CloseStatusDescription);
        var record = await relay.Records.WaitForAsync(Outcome.Errory).WithPatience();
        Assert.Contains("text message", record.Detail);
    }

    [Fact]
    public async Task A_message_over_the_size_limit_is_closed_with_1009_while_frames_within_it_pass()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto, "Splicer:WebSocket:MaxMessageBytes=4096");
        var token = Pairing.NewToken();
        using var tcp = await TestClient.RequestAsync(relay.EndPoint, token, Pairing.NewSide());
        await Patience.Until(() => relay.Services.WaitingConnections() > 0, "the tcp client to wait");
        using var webSocket = await TransportPeer.UpgradeAsync(relay.EndPoint, "ws", null);
        await webSocket.SendAsync(Encoding.ASCII.GetBytes(Pairing.Handshake(token, Pairing.NewSide())), WebSocketMessageType.Binary, true, CancellationToken.None).WithPatience();
        Assert.Equal("ok\n", await tcp.ReadLineAsync());
        Assert.Equal("ok\n", await ReceiveTextAsync(webSocket, 3));

        // 4 KiB in two frames is one message at the limit: it passes.
        await webSocket.SendAsync(new byte[3000], WebSocketMessageType.Binary, endOfMessage: false, CancellationToken.None).WithPatience();
        await webSocket.SendAsync(new byte[1096], WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None).WithPatience();
        Assert.Equal(4096, (await tcp.ReadExactlyAsync(4096)).Length);

        await webSocket.SendAsync(new byte[3000], WebSocketMessageType.Binary, endOfMessage: false, CancellationToken.None).WithPatience();
        await webSocket.SendAsync(new byte[3000], WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None).WithPatience();

        var received = await webSocket.ReceiveAsync(new byte[256], CancellationToken.None).WithPatience();
        Assert.Equal(WebSocketMessageType.Close, received.MessageType);
        Assert.Equal((WebSocketCloseStatus.MessageTooBig, "message too big"), (webSocket.CloseStatus, webSocket.CloseStatusDescription));
        var record = Assert.IsType<SessionRecord>(await relay.Records.WaitForAsync(r => r.TokenPrefix == token[..8]).WithPatience());
        Assert.Equal(Outcome.Jilted, record.Outcome);
        Assert.InRange(record.BytesAToB + record.BytesBToA, 4096, 4096 + 4096); // streamed, never more than the limit of the long message

    }

    [Fact]
    public async Task Reply_lines_are_binary_messages_as_the_reference_relay_sends_them()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto);
        using var webSocket = await TransportPeer.UpgradeAsync(relay.EndPoint, "ws", null);

        await webSocket.SendAsync("please relay abc\n"u8.ToArray(), WebSocketMessageType.Binary, true, CancellationToken.None).WithPatience();

        var buffer = new byte[256];
        var received = await webSocket.ReceiveAsync(buffer, CancellationToken.None).WithPatience();
        Assert.Equal(WebSocketMessageType.Binary, received.MessageType);
        Assert.Equal("bad handshake\n", Encoding.ASCII.GetString(buffer, 0, received.Count));
        Assert.Equal(WebSocketMessageType.Close, (await webSocket.ReceiveAsync(buffer, CancellationToken.None).WithPatience()).MessageType);
    }

    [Theory]
    [InlineData("GET /elsewhere HTTP/1.1\r\nHost: relay\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n", "404 Not Found")]
    [InlineData("GET / HTTP/1.1\r\nHost: relay\r\n\r\n", "426 Upgrade Required")]
    [InlineData("GET / HTTP/1.1\r\nHost: relay\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n", "400 Bad Request")]
    [InlineData("GET / HTTP/1.1\r\nHost: relay\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 8\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n", "426 Upgrade Required")]
    [InlineData("GET / HTTP/1.1\r\nHost: relay\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: https://evil.example\r\n\r\n", "403 Forbidden")]
    public async Task A_request_that_cannot_be_upgraded_gets_an_http_status_with_a_reason(string request, string status)
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto, "Splicer:WebSocket:AllowedOrigins:0=https://app.example");
        using var client = await TestClient.ConnectAsync(relay.EndPoint);

        await client.SendAsync(request);

        var response = await ReadToEndAsync(client.Socket);
        Assert.StartsWith("HTTP/1.1 " + status + "\r\n", response);
        var record = await relay.Records.WaitForAsync(Outcome.Errory).WithPatience();
        Assert.StartsWith("websocket upgrade refused: " + status[..3], record.Detail);
    }

    [Fact]
    public async Task An_allowed_origin_is_let_in()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto, "Splicer:WebSocket:AllowedOrigins:0=https://app.example");
        using var client = await TestClient.ConnectAsync(relay.EndPoint);

        await client.SendAsync("GET / HTTP/1.1\r\nHost: relay\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: https://app.example\r\n\r\n");

        Assert.Equal("HTTP/1.1 101 Switching Protocols\r\n", await client.ReadLineAsync());
    }

    [Fact]
    public void The_accept_value_is_the_one_rfc_6455_gives_for_its_sample_key() =>
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", Splicer.Transport.WebSocketAccept.ValueFor("dGhlIHNhbXBsZSBub25jZQ=="));

    [Fact]
    public async Task A_request_head_longer_than_the_limit_is_refused()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto, "Splicer:WebSocket:MaxRequestBytes=1024");
        using var client = await TestClient.ConnectAsync(relay.EndPoint);

        await client.SendAsync("GET / HTTP/1.1\r\nX-Filler: " + new string('a', 2000) + "\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 431 ", await ReadToEndAsync(client.Socket));
    }

    private static async Task<string> ReceiveTextAsync(WebSocket webSocket, int length)
    {
        var buffer = new byte[length];
        var filled = 0;
        while (filled < length)
        {
            var received = await webSocket.ReceiveAsync(buffer.AsMemory(filled), CancellationToken.None).AsTask().WithPatience();
            Assert.Equal(WebSocketMessageType.Binary, received.MessageType);
            filled += received.Count;
        }

        return Encoding.ASCII.GetString(buffer);
    }

    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        int count;
        try
        {
            while ((count = await socket.ReceiveAsync(buffer, SocketFlags.None).WithPatience()) > 0)
            {
                text.Append(Encoding.ASCII.GetString(buffer, 0, count));
            }
        }
        catch (SocketException)
        {
            // A reset after the response: what arrived is what counts.
        }

        return text.ToString();
    }
}
