using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;
using Splicer.Fleet;
using Splicer.Options;
using Splicer.Tests.Admin;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Fleet;

/// <summary>Membership in JetStream KV, against a real nats-server: who is live, who left, who is gone.</summary>
public sealed class FleetMembershipTests
{
    [RequiresFact(Prerequisite.Nats)]
    public async Task Two_nodes_see_each_other_and_a_node_that_stops_leaves_at_once()
    {
        await using var nats = await NatsServer.StartAsync();
        await using var one = await NodeAsync(nats, "one");
        await using var two = await NodeAsync(nats, "two");

        await Patience.Until(() => Names(one) == "one,two" && Names(two) == "one,two", "both nodes see both");
        var seenByOne = Members(one).Live(Lifetime).Single(record => record.NodeId == "two");
        Assert.Equal(("127.0.0.2:4001", false), (seenByOne.Address, seenByOne.Draining));

        await two.StopAsync();

        // Its record is deleted as it stops, so the other knows well before the record would expire.
        await Patience.Until(() => Names(one) == "one", "the stopped node is gone from the live set");
    }

    [RequiresFact(Prerequisite.Nats)]
    public async Task The_admin_API_lists_the_live_nodes_and_marks_this_one()
    {
        await using var nats = await NatsServer.StartAsync();
        await using var one = await NodeAsync(nats, "one");
        await using var two = await NodeAsync(nats, "two");
        await Patience.Until(() => Names(one) == "one,two", "node one sees both");
        using var admin = one.CreateAdminClient();

        using var fleet = JsonDocument.Parse(await admin.GetStringAsync("/api/fleet"));

        var root = fleet.RootElement;
        Assert.Equal((true, "one"), (root.GetProperty("enabled").GetBoolean(), root.GetProperty("nodeId").GetString()));
        var nodes = root.GetProperty("nodes").EnumerateArray()
            .Select(node => (node.GetProperty("nodeId").GetString(), node.GetProperty("address").GetString(), node.GetProperty("isThisNode").GetBoolean()))
            .ToList();
        Assert.Equal([("one", "127.0.0.1:4001", true), ("two", "127.0.0.2:4001", false)], nodes);
    }

    [Fact]
    public async Task A_box_without_fleet_settings_says_so_and_needs_no_NATS()
    {
        await using var alone = await RelayHost.StartAsync(DataPath.Pipelines);
        using var admin = alone.CreateAdminClient();

        using var fleet = JsonDocument.Parse(await admin.GetStringAsync("/api/fleet"));

        Assert.False(fleet.RootElement.GetProperty("enabled").GetBoolean());
        Assert.Empty(fleet.RootElement.GetProperty("nodes").EnumerateArray());
    }

    [RequiresFact(Prerequisite.Nats)]
    public async Task A_node_that_dies_without_a_word_is_gone_once_its_record_is_not_refreshed()
    {
        await using var nats = await NatsServer.StartAsync();
        await using var one = await NodeAsync(nats, "one");
        await Patience.Until(() => Names(one) == "one", "the node sees itself");

        // A node that put its record once and then died: nothing deletes it.
        await using (var connection = new NatsConnection(NatsOpts.Default with { Url = nats.Url }))
        {
            var store = await new NatsKVContext(new NatsJSContext(connection)).GetStoreAsync("splicer-members");
            var record = new NodeRecord("ghost", "127.0.0.9:4001", "test", 0, 0, false, DateTimeOffset.UtcNow);
            await store.PutAsync("ghost", JsonSerializer.SerializeToUtf8Bytes(record, FleetJson.Default.NodeRecord));
        }

        await Patience.Until(() => Names(one) == "ghost,one", "the ghost's record is seen");
        await Patience.Until(() => Names(one) == "one", "the ghost is gone once its record's lifetime passed");
    }

    [RequiresFact(Prerequisite.Nats)]
    public async Task A_node_keeps_serving_while_NATS_is_gone_and_joins_again_when_it_is_back()
    {
        var nats = await NatsServer.StartAsync();
        await using var one = await NodeAsync(nats, "one");
        await Patience.Until(() => Names(one) == "one", "the node joined");

        await nats.KillAsync();
        await nats.DisposeAsync();

        // The relay itself goes on: a pair still meets on this node.
        using var pair = await TestClient.PairAsync(one);
        await pair.A.SendAsync("still here");
        Assert.Equal("still here", Encoding.ASCII.GetString(await pair.B.ReadExactlyAsync(10)));
    }

    [Fact]
    public void A_half_configured_node_is_refused_at_start_with_the_key_named()
    {
        var errors = new FleetOptionsValidator().Validate(null, new FleetOptions { Nats = "nats://127.0.0.1:4222", Address = "relay-1" });

        Assert.True(errors.Failed);
        Assert.Contains("Splicer:Fleet:Address must be host:port", errors.FailureMessage, StringComparison.Ordinal);
    }

    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(3);

    private static Task<RelayHost> NodeAsync(NatsServer nats, string nodeId) => RelayHost.StartAsync(
        DataPath.Pipelines,
        $"Splicer:Fleet:Nats={nats.Url}",
        $"Splicer:Fleet:NodeId={nodeId}",
        $"Splicer:Fleet:Address=127.0.0.{(nodeId == "one" ? 1 : 2)}:4001",
        "Splicer:Fleet:RefreshEvery=00:00:00.5",
        $"Splicer:Fleet:RecordLifetime={Lifetime}");

    private static FleetMembers Members(RelayHost node) => node.Services.GetRequiredService<FleetMembers>();

    private static string Names(RelayHost node) => string.Join(",", Members(node).Live(Lifetime).Select(record => record.NodeId));
}
