using System.Text.Json;
using Splicer.Client.Framing;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Client;

/// <summary><c>splicer join INVITE</c> against a real <c>Doors</c> relay, then a verb that uses the device key and credential.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class JoinTests
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task Join_remembers_the_relay_with_owner_only_files_and_two_joined_devices_pipe_through_a_doors_relay()
    {
        await using var relay = await DoorsRelay.StartAsync();
        var invite = (await relay.CreateInviteAsync(await relay.OpenInviteDoorAsync(), uses: 2)).Format();
        using var ada = new ClientFolder();
        using var bob = new ClientFolder();

        var joined = await ClientProcess.RunAsync(ada.Path, "join", invite, "--name", "ada-laptop");
        Assert.True(joined.Exit == 0, joined.Error);
        Assert.Matches(@"^Joined relay\.test at tcp://127\.0\.0\.1:\d+ as identity \d+ \(door \d+\), until ", joined.Output);
        Assert.Equal(0, (await ClientProcess.RunAsync(bob.Path, "join", invite)).Exit);

        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(Path.Combine(ada.Splicer, "client.json")));
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(Path.Combine(ada.Splicer, "device-relay.test.pem")));
        using var config = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(ada.Splicer, "client.json")));
        Assert.Equal("relay.test", config.RootElement.GetProperty("default").GetString());
        Assert.Contains(await relay.Identities.ListAsync(CancellationToken.None), identity => identity.Name == "ada-laptop");

        var code = PairingCode.Create().Text();
        await using var left = ClientProcess.Start(ada.Path, ["pipe", code]);
        await using var right = ClientProcess.Start(bob.Path, ["pipe", code]);
        await left.Input.WriteAsync("through the door"u8.ToArray());
        left.Input.Close();
        right.Input.Close();
        Assert.Equal("through the door", await new StreamReader(right.Output).ReadToEndAsync().WithPatience());
        Assert.Equal((0, 0), (await left.WaitForExitAsync(), await right.WaitForExitAsync()));
    }

    [Fact]
    public async Task A_relay_joined_at_one_of_its_invite_addresses_is_the_same_joined_relay_at_another()
    {
        await using var relay = await DoorsRelay.StartAsync();
        var port = relay.EndPoint.Port;
        var invite = (await relay.CreateInviteAsync(await relay.OpenInviteDoorAsync(), uses: 2, addresses: [$"127.0.0.1:{port}", $"[::1]:{port}"])).Format();
        using var ada = new ClientFolder();
        using var bob = new ClientFolder();
        Assert.Equal((0, 0), ((await ClientProcess.RunAsync(ada.Path, "join", invite)).Exit, (await ClientProcess.RunAsync(bob.Path, "join", invite)).Exit));

        // The Doors relay turns away a device that does not bring its credential, so getting through proves it was used.
        var code = PairingCode.Create().Text();
        var overIPv6 = $"tcp://[::1]:{port}";
        await using var left = ClientProcess.Start(ada.Path, ["pipe", code, "--relay", overIPv6]);
        await using var right = ClientProcess.Start(bob.Path, ["pipe", code, "--relay", $"tcp://[0:0::1]:{port}"]); // the same address
        await left.Input.WriteAsync("over the other address"u8.ToArray());
        left.Input.Close();
        right.Input.Close();
        Assert.Equal("over the other address", await new StreamReader(right.Output).ReadToEndAsync().WithPatience());
        Assert.Equal((0, 0), (await left.WaitForExitAsync(), await right.WaitForExitAsync()));
        using var config = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(ada.Splicer, "client.json")));
        var remembered = config.RootElement.GetProperty("relays")[0];
        Assert.Equal($"tcp://127.0.0.1:{port}", remembered.GetProperty("url").GetString());
        Assert.Equal([overIPv6], remembered.GetProperty("otherUrls").EnumerateArray().Select(url => url.GetString()));
    }

    [Fact]
    public async Task Join_with_a_used_invite_fails_with_the_relays_reason()
    {
        await using var relay = await DoorsRelay.StartAsync();
        var invite = (await relay.CreateInviteAsync(await relay.OpenInviteDoorAsync())).Format();
        using var first = new ClientFolder();
        using var second = new ClientFolder();
        Assert.Equal(0, (await ClientProcess.RunAsync(first.Path, "join", invite)).Exit);

        var again = await ClientProcess.RunAsync(second.Path, "join", invite);

        Assert.Equal(1, again.Exit);
        Assert.Contains("the relay refused: invite_used", again.Error);
        Assert.False(File.Exists(Path.Combine(second.Splicer, "client.json")));
    }

    [Fact]
    public async Task Join_with_an_expired_invite_fails_with_the_relays_reason()
    {
        await using var relay = await DoorsRelay.StartAsync();
        var invite = (await relay.CreateInviteAsync(await relay.OpenInviteDoorAsync(), lifetime: TimeSpan.FromSeconds(-1))).Format();
        using var folder = new ClientFolder();

        var result = await ClientProcess.RunAsync(folder.Path, "join", invite);

        Assert.Equal(1, result.Exit);
        Assert.Contains("the relay refused: invite_expired", result.Error);
    }

    [Fact]
    public async Task A_doors_relay_turns_away_a_device_that_never_joined_with_its_reason()
    {
        await using var relay = await DoorsRelay.StartAsync();
        using var folder = new ClientFolder();

        var result = await ClientProcess.RunAsync(folder.Path, "pipe", PairingCode.Create().Text(), "--relay", $"tcp://127.0.0.1:{relay.EndPoint.Port}");

        Assert.Equal(1, result.Exit);
        Assert.Contains("the relay refused: address_not_allowed", result.Error);
    }

    [Theory]
    [InlineData("not-an-invite", "that is not an invite")]
    [InlineData("splicer-invite.AQID", "the invite is incomplete or damaged — copy it whole")]
    [InlineData("splicer-invi", "the invite is incomplete or damaged — copy it whole")]
    [InlineData("splicer-invite.Ag", "made by a newer Splicer")]
    public async Task A_bad_invite_is_a_usage_error(string invite, string reason)
    {
        using var folder = new ClientFolder();

        var result = await ClientProcess.RunAsync(folder.Path, "join", invite);

        Assert.Equal(2, result.Exit);
        Assert.Contains(reason, result.Error);
    }
}
