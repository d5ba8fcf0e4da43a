using System.Security.Cryptography;
using Splicer.Endings;
using Splicer.Options;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Transport;

/// <summary>Every transport pairs with every other on one port, byte-exact both ways, each side's end passed on as the other's kind of end.</summary>
public sealed class TransportMatrixTests : IAsyncLifetime
{
    private const int Size = 512 * 1024 + 17;
    private readonly TestCertificate _certificate = TestCertificate.Create("localhost");
    private RelayHost _relay = null!;

    public static TheoryData<string, string> Pairs()
    {
        var pairs = new TheoryData<string, string>();
        foreach (var a in TransportPeer.Kinds)
        {
            foreach (var b in TransportPeer.Kinds)
            {
                pairs.Add(a, b);
            }
        }

        return pairs;
    }

    public async Task InitializeAsync() => _relay = await RelayHost.StartAsync(DataPath.Auto, _certificate.Settings);

    public async Task DisposeAsync()
    {
        await _relay.DisposeAsync();
        _certificate.Dispose();
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task A_pair_of_any_two_transports_relays_byte_exact_with_half_close(string first, string second)
    {
        var token = Pairing.NewToken();
        await using var a = await TransportPeer.ConnectAsync(first, _relay.EndPoint, _certificate.Certificate);
        await a.SendAsync(Pairing.Handshake(token, Pairing.NewSide()));
        await Patience.Until(() => _relay.Services.WaitingConnections() > 0, "the first side to wait");
        await using var b = await TransportPeer.ConnectAsync(second, _relay.EndPoint, _certificate.Certificate);
        await b.SendAsync(Pairing.Handshake(token, Pairing.NewSide()));
        Assert.Equal("ok\n", await a.ReadLineAsync());
        Assert.Equal("ok\n", await b.ReadLineAsync());

        var aToB = RandomNumberGenerator.GetBytes(Size);
        var bToA = RandomNumberGenerator.GetBytes(Size);
        var sentByA = SendThenCloseAsync(a, aToB);
        Assert.Equal(aToB, await b.ReadToEndAsync());
        await sentByA;

        // A has ended its half; B's half still flows.
        await SendThenCloseAsync(b, bToA);
        Assert.Equal(bToA, await a.ReadToEndAsync());

        var record = Assert.IsType<SessionRecord>(await _relay.Records.WaitForAsync(r => r.TokenPrefix == token[..8]).WithPatience());
        Assert.Equal(Outcome.Happy, record.Outcome);
        Assert.Equal((first, second), (record.TransportA, record.TransportB));
        Assert.Equal((Size, Size), (record.BytesAToB, record.BytesBToA));
    }

    private static async Task SendThenCloseAsync(TransportPeer peer, byte[] bytes)
    {
        for (var offset = 0; offset < bytes.Length; offset += 100_000)
        {
            await peer.SendAsync(bytes.AsMemory(offset, Math.Min(100_000, bytes.Length - offset)));
        }

        await peer.CloseSendingAsync();
    }
}
