using System.Net;
using Splicer.Endings;
using Splicer.Options;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Relay;

/// <summary>
/// In <c>Doors</c> mode an unmodified (wormhole) client pairs only from inside an open address door;
/// the relay sees the client's source address, so clients dial from 127.0.0.1 and 127.0.0.2.
/// </summary>
public sealed class AddressDoorTests : IAsyncLifetime
{
    private static readonly IPAddress Inside = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Outside = IPAddress.Loopback;
    private DoorsRelay _relay = null!;

    public async Task InitializeAsync() => _relay = await DoorsRelay.StartAsync();

    public Task DisposeAsync() => _relay.DisposeAsync().AsTask();

    [Fact]
    public async Task Outside_every_address_door_a_wormhole_handshake_is_refused_address_not_allowed()
    {
        await _relay.OpenAddressDoorAsync("127.0.0.2/32");

        using var client = await TestClient.RequestAsync(_relay.EndPoint, Pairing.NewToken(), Pairing.NewSide(), Outside);

        Assert.Equal("refused address_not_allowed no door is open for 127.0.0.1\n", await client.ReadLineAsync());
        Assert.Equal(Closure.Fin, await client.WaitClosedAsync());
        Assert.Same(Refusal.AddressNotAllowed, (await _relay.Records.WaitForAsync(Outcome.Refused)).Ending.Refusal);
    }

    [Fact]
    public async Task Inside_an_open_address_door_wormhole_clients_pair_and_the_session_names_the_door()
    {
        var door = await _relay.OpenAddressDoorAsync("127.0.0.2/32");
        var token = Pairing.NewToken();

        using var a = await TestClient.RequestAsync(_relay.EndPoint, token, Pairing.NewSide(), Inside);
        using var b = await TestClient.RequestAsync(_relay.EndPoint, token, Pairing.NewSide(), Inside);

        Assert.Equal("ok\n", await a.ReadLineAsync());
        Assert.Equal("ok\n", await b.ReadLineAsync());
        a.ShutdownSend();
        b.ShutdownSend();
        var session = await _relay.Records.WaitForSessionAsync(Outcome.Happy);
        Assert.Equal((door.Id, door.Id), (session.DoorA, session.DoorB));
    }

    [Fact]
    public async Task An_address_door_stops_admitting_when_it_closes()
    {
        var door = await _relay.OpenAddressDoorAsync("127.0.0.2/32");
        await _relay.Doors.CloseAsync(door.Id, "done", "owner", CancellationToken.None);

        using var client = await TestClient.RequestAsync(_relay.EndPoint, Pairing.NewToken(), Pairing.NewSide(), Inside);

        Assert.StartsWith("refused address_not_allowed ", await client.ReadLineAsync());
    }

    [Fact]
    public async Task In_open_mode_a_wormhole_handshake_pairs_from_anywhere_without_a_door()
    {
        await using var open = await RelayHost.StartAsync(DataPath.Auto, "Splicer:Access:Mode=Open");

        using var pair = await TestClient.PairAsync(open);
        pair.A.ShutdownSend();
        pair.B.ShutdownSend();

        var session = await open.Records.WaitForSessionAsync(Outcome.Happy);
        Assert.Null(session.DoorA);
        Assert.Null(session.DoorB);
    }
}
