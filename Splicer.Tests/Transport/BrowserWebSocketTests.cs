using System.Net.Sockets;
using Microsoft.Playwright;
using Splicer.Endings;
using Splicer.Options;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Transport;

/// <summary>A browser is a relay client: a page in Debian's headless Chromium pairs over wss:// with a plain TCP client.</summary>
public sealed class BrowserWebSocketTests
{
    private const int Size = 10 * 1024 * 1024;

    /// <summary>
    /// The page: pairs, sends 10 MiB of its pattern while checking the 10 MiB it receives against the
    /// TCP side's, and resolves with what it saw once the relay passes the TCP side's end on as a Close.
    /// </summary>
    private const string PageScript = """
        async ([url, handshake, size]) => {
          const ws = new WebSocket(url);
          ws.binaryType = 'arraybuffer';
          let received = 0, wrong = -1, ok = '';
          const closed = new Promise(resolve => ws.onclose = event => resolve(event.code));
          const opened = new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
          const paired = new Promise(resolve => {
            ws.onmessage = event => {
              let bytes = new Uint8Array(event.data);
              while (ok.length < 3 && bytes.length > 0) { ok += String.fromCharCode(bytes[0]); bytes = bytes.subarray(1); }
              if (ok.length === 3) resolve();
              for (let i = 0; i < bytes.length; i++, received++) {
                if (wrong < 0 && bytes[i] !== ((received * 13 + 5) & 255)) wrong = received;
              }
            };
          });
          await opened;
          ws.send(new TextEncoder().encode(handshake));
          await paired;
          const chunk = 64 * 1024;
          for (let offset = 0; offset < size; offset += chunk) {
            const part = new Uint8Array(Math.min(chunk, size - offset));
            for (let i = 0; i < part.length; i++) part[i] = ((offset + i) * 7 + 3) & 255;
            ws.send(part);
            while (ws.bufferedAmount > 4 * chunk) await new Promise(r => setTimeout(r, 1));
          }
          const code = await closed;
          return { ok, received, wrong, code };
        }
        """;

    [RequiresFact(Prerequisite.Chromium)]
    public async Task A_page_in_chromium_pairs_over_wss_with_a_tcp_client_and_both_get_10_MiB_byte_exact()
    {
        using var certificate = TestCertificate.Create("localhost");
        await using var relay = await RelayHost.StartAsync(DataPath.Auto, certificate.Settings);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Prerequisites.ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run",
                // The test certificate is trusted for this browser only, by its key.
                "--ignore-certificate-errors-spki-list=" + certificate.SpkiHash,
            ],
        });
        var page = await browser.NewPageAsync();
        var token = Pairing.NewToken();
        using var tcp = await TestClient.RequestAsync(relay.EndPoint, token, Pairing.NewSide());
        await Patience.Until(() => relay.Services.WaitingConnections() > 0, "the tcp client to wait");

        var browserSide = page.EvaluateAsync<PageResult>(PageScript,
            new object[] { $"wss://localhost:{relay.EndPoint.Port}/", Pairing.Handshake(token, Pairing.NewSide()), Size });
        Assert.Equal("ok\n", await tcp.ReadLineAsync());
        var fromBrowser = ReceiveCheckedAsync(tcp.Socket);
        await SendPatternAsync(tcp.Socket);
        Assert.Equal((Size, -1L), await fromBrowser.WithPatience());
        tcp.Socket.Shutdown(SocketShutdown.Send);

        var result = await browserSide.WithPatience();
        Assert.Equal("ok\n", result.Ok);
        Assert.Equal(Size, result.Received);
        Assert.Equal(-1, result.Wrong);
        Assert.Equal(1000, result.Code);
        var record = Assert.IsType<SessionRecord>(await relay.Records.WaitForAsync(r => r.TokenPrefix == token[..8]).WithPatience());
        Assert.Equal(("tcp", "wss"), (record.TransportA, record.TransportB));
        Assert.Equal((Size, Size), (record.BytesAToB, record.BytesBToA));
    }

    private static async Task SendPatternAsync(Socket socket)
    {
        var chunk = new byte[256 * 1024];
        for (var offset = 0; offset < Size; offset += chunk.Length)
        {
            for (var i = 0; i < chunk.Length; i++)
            {
                chunk[i] = (byte)(((offset + i) * 13) + 5);
            }

            await socket.SendAsync(chunk.AsMemory(0, Math.Min(chunk.Length, Size - offset)), SocketFlags.None).WithPatience();
        }
    }

    /// <summary>Reads until the browser's Close arrives as a FIN: how many bytes, and the first wrong one (-1 if none).</summary>
    private static async Task<(long Count, long FirstWrong)> ReceiveCheckedAsync(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        long count = 0, wrong = -1;
        int received;
        while (count < Size && (received = await socket.ReceiveAsync(buffer, SocketFlags.None)) > 0)
        {
            for (var i = 0; i < received; i++, count++)
            {
                if (wrong < 0 && buffer[i] != (byte)((count * 7) + 3))
                {
                    wrong = count;
                }
            }
        }

        return (count, wrong);
    }

    private sealed class PageResult
    {
        public string Ok { get; set; } = "";

        public long Received { get; set; }

        public long Wrong { get; set; }

        public int Code { get; set; }
    }
}
