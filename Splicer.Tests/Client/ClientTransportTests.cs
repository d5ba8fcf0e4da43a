using Splicer.Client.Framing;
using Splicer.Endings;
using Splicer.Options;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Client;

/// <summary>
/// The built client over every transport of the one splice port: <c>tls://</c>, <c>ws://</c>, <c>wss://</c> URLs
/// and <c>--transport</c>, paired with a client on another transport, byte-exact both ways with each side's end.
/// </summary>
public sealed class ClientTransportTests : IAsyncLifetime
{
    private const long OneWay = 4L << 20;
    private readonly TestCertificate _certificate = TestCertificate.Create("localhost");
    private readonly ClientFolder _folder = new();
    private RelayHost _relay = null!;

    public async Task InitializeAsync() => _relay = await RelayHost.StartAsync(DataPath.Auto, _certificate.Settings);

    public async Task DisposeAsync()
    {
        await _relay.DisposeAsync();
        _certificate.Dispose();
        _folder.Dispose();
    }

    [Theory]
    [InlineData("tls://localhost:{0}", "tcp://127.0.0.1:{0}")]
    [InlineData("ws://localhost:{0}/", "tcp://127.0.0.1:{0}")]
    [InlineData("wss://localhost:{0}/", "ws://127.0.0.1:{0}/")]
    [InlineData("wss://localhost:{0}/", "tls://localhost:{0}")]
    public async Task A_pipe_over_one_transport_pairs_with_a_pipe_over_another_byte_exact_both_ways(string first, string second)
    {
        var code = PairingCode.Create().Text();

        await using var left = Pipe(code, string.Format(first, _relay.EndPoint.Port));
        await using var right = Pipe(code, string.Format(second, _relay.EndPoint.Port));
        var flows = await Task.WhenAll(
            PipeStreams.FeedAsync(left.Input, 1, OneWay), PipeStreams.FeedAsync(right.Input, 2, OneWay),
            PipeStreams.HashAsync(left.Output), PipeStreams.HashAsync(right.Output)).WithPatience();

        Assert.Equal((0, 0), (await left.WaitForExitAsync(), await right.WaitForExitAsync()));
        Assert.Equal((flows[0], flows[1]), (flows[3], flows[2]));
        Assert.Equal(Schemes(first, second), await TransportsOfAsync(code));
    }

    [Fact]
    public async Task The_transport_option_reaches_a_tcp_url_over_wss()
    {
        var code = PairingCode.Create().Text();
        var url = $"tcp://localhost:{_relay.EndPoint.Port}";

        await using var left = Pipe(code, url, "--transport", "wss");
        await using var right = Pipe(code, url);
        var flows = await Task.WhenAll(PipeStreams.FeedAsync(left.Input, 3, OneWay), PipeStreams.HashAsync(right.Output)).WithPatience();
        right.Input.Close();

        Assert.Equal((0, 0), (await left.WaitForExitAsync(), await right.WaitForExitAsync()));
        Assert.Equal(flows[0], flows[1]);
        Assert.Equal(Schemes("wss", "tcp"), await TransportsOfAsync(code));
    }

    [Fact]
    public async Task A_relay_certificate_the_client_does_not_trust_is_a_clear_error()
    {
        var (exit, _, error) = await ClientProcess.RunAsync(
            _folder.Path, "pipe", PairingCode.Create().Text(), "--relay", $"wss://localhost:{_relay.EndPoint.Port}/").WithPatience();

        Assert.Equal(1, exit);
        Assert.Contains($"cannot open wss://localhost:{_relay.EndPoint.Port}/", error);
        Assert.Contains("certificate", error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_websocket_path_the_relay_does_not_serve_is_a_clear_error()
    {
        var (exit, _, error) = await ClientProcess.RunAsync(
            _folder.Path, "pipe", PairingCode.Create().Text(), "--relay", $"ws://127.0.0.1:{_relay.EndPoint.Port}/elsewhere").WithPatience();

        Assert.Equal(1, exit);
        Assert.Contains("refused the WebSocket upgrade: 404", error);
    }

    [Fact]
    public async Task An_unknown_transport_is_a_usage_error()
    {
        var (exit, _, error) = await ClientProcess.RunAsync(
            _folder.Path, "pipe", PairingCode.Create().Text(), "--relay", $"tcp://127.0.0.1:{_relay.EndPoint.Port}", "--transport", "quic").WithPatience();

        Assert.Equal(2, exit);
        Assert.Contains("--transport must be tcp, tls, ws or wss", error);
    }

    private static string[] Schemes(params string[] urls) => urls.Select(url => url.Split(':')[0]).Order().ToArray();

    /// <summary>The transports the relay recorded for the pipe session of this code.</summary>
    private async Task<string[]> TransportsOfAsync(string code)
    {
        var token = new CodeKeys(PairingCode.Parse(code)).Token("pipe");
        var record = Assert.IsType<SessionRecord>(await _relay.Records.WaitForAsync(r => r.TokenPrefix == token[..8]).WithPatience());
        return new[] { record.TransportA, record.TransportB }.Order().ToArray();
    }

    private ClientProcess Pipe(string code, string url, params string[] more) =>
        ClientProcess.Start(_folder.Path, ["pipe", code, "--relay", url, "--ca", _certificate.CertificatePath, .. more]);
}
