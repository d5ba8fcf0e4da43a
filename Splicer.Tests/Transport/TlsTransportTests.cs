using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Splicer.Endings;
using Splicer.Options;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Transport;

/// <summary>TLS on the splice port: one rule per test.</summary>
public sealed class TlsTransportTests : IDisposable
{
    private readonly TestCertificate _certificate = TestCertificate.Create("localhost", "relay.example");

    public void Dispose() => _certificate.Dispose();

    [Fact]
    public async Task Openssl_s_client_pairs_with_a_plain_tcp_client()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto, _certificate.Settings);
        var token = Pairing.NewToken();
        using var openssl = StartOpenssl("s_client", "-connect", $"127.0.0.1:{relay.EndPoint.Port}", "-servername", "relay.example", "-quiet", "-tls1_3");
        await openssl.StandardInput.WriteAsync(Pairing.Handshake(token, Pairing.NewSide()));
        await openssl.StandardInput.FlushAsync();
        await Patience.Until(() => relay.Services.WaitingConnections() > 0, "openssl to wait for its partner");

        using var tcp = await TestClient.RequestAsync(relay.EndPoint, token, Pairing.NewSide());
        Assert.Equal("ok\n", await tcp.ReadLineAsync());
        Assert.Equal("ok", await openssl.StandardOutput.ReadLineAsync().WithPatience());

        await tcp.SendAsync("from the tcp client\n");
        Assert.Equal("from the tcp client", await openssl.StandardOutput.ReadLineAsync().WithPatience());
        await openssl.StandardInput.WriteAsync("from openssl\n");
        await openssl.StandardInput.FlushAsync();
        Assert.Equal("from openssl\n", await tcp.ReadLineAsync());
        openssl.Kill();
    }

    [Fact]
    public async Task A_client_naming_a_server_the_certificate_does_not_cover_is_refused()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto, _certificate.Settings);
        using var socket = new Socket(relay.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(relay.EndPoint).WithPatience();

        await Assert.ThrowsAnyAsync<Exception>(() => TransportPeer.SecureAsync(new NetworkStream(socket), _certificate.Certificate, "wrong.example"));

        var record = await relay.Records.WaitForAsync(Outcome.Errory).WithPatience();
        Assert.Contains("server name 'wrong.example' is not covered by the certificate", record.Detail);
        await Patience.Until(() => relay.Services.OpenConnections() == 0, "the refused connection to be released");
    }

    [Fact]
    public async Task A_client_offering_only_tls_1_1_is_refused()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto, _certificate.Settings);
        using var openssl = StartOpenssl("s_client", "-connect", $"127.0.0.1:{relay.EndPoint.Port}", "-servername", "localhost",
            "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");

        await openssl.WaitForExitAsync().WaitAsync(Patience.Long);

        Assert.NotEqual(0, openssl.ExitCode);
        var record = await relay.Records.WaitForAsync(Outcome.Errory).WithPatience();
        Assert.StartsWith("tls handshake failed", record.Detail);
        await Patience.Until(() => relay.Services.OpenConnections() == 0, "the refused connection to be released");
    }

    [Fact]
    public async Task A_certificate_renewed_on_disk_is_served_to_the_next_connection_without_a_restart()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto, _certificate.Settings);
        var before = _certificate.Certificate.GetCertHashString();
        Assert.Equal(before, await ServedCertificateAsync(relay));

        _certificate.Renew("localhost");

        var after = _certificate.Certificate.GetCertHashString();
        Assert.NotEqual(before, after);
        Assert.Equal(after, await ServedCertificateAsync(relay));
    }

    [Fact]
    public async Task A_tls_client_hears_a_refusal_line_inside_tls()
    {
        await using var relay = await RelayHost.StartAsync(DataPath.Auto, _certificate.Settings);
        await using var client = await TransportPeer.ConnectAsync("tls", relay.EndPoint, _certificate.Certificate);

        await client.SendAsync("please relay abc\n");

        Assert.Equal("bad handshake\n", await client.ReadLineAsync());
        Assert.Empty(await client.ReadToEndAsync());
    }

    [Theory]
    [InlineData("Certificate", "missing.pem", null)]
    [InlineData("Key", null, "missing-key.pem")]
    [InlineData("Key", null, "not-a-key.pem")]
    public async Task A_bad_certificate_or_key_stops_start_up_naming_the_key_with_exit_code_2(string key, string? certificate, string? privateKey)
    {
        var certificatePath = certificate is null ? _certificate.CertificatePath : Path.Combine(_certificate.Directory, certificate);
        var keyPath = privateKey is null ? _certificate.KeyPath : Path.Combine(_certificate.Directory, privateKey);
        if (privateKey == "not-a-key.pem")
        {
            await File.WriteAllTextAsync(keyPath, "not a key\n");
        }

        await using var splicer = SplicerProgram.Start(
            ["--Splicer:Port=0", "--Admin:Url=http://127.0.0.1:0", $"--Splicer:Tls:Certificate={certificatePath}", $"--Splicer:Tls:Key={keyPath}"]);

        Assert.Equal(2, await splicer.WaitForExitAsync());
        Assert.Contains($"Splicer:Tls:{key}", splicer.Output);
    }

    private async Task<string> ServedCertificateAsync(RelayHost relay)
    {
        using var socket = new Socket(relay.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(relay.EndPoint).WithPatience();
        string? served = null;
        await using var tls = new SslStream(new NetworkStream(socket), leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                served = certificate?.GetCertHashString();
                return true;
            },
        }).WithPatience();
        return served!;
    }

    private static Process StartOpenssl(params string[] arguments)
    {
        var info = new ProcessStartInfo("openssl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }
}
