using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Splicer.Access;
using Splicer.Admin;
using Splicer.Endings;
using Splicer.Governance;
using Splicer.State;
using Splicer.Tests.Admin;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Usage;

/// <summary>
/// Real sessions through an address door and between a joined and an enrolled identity, then the door
/// list, the identity list and the usage API read back: they must say the same, to the byte.
/// </summary>
public sealed class UsageAgreementTests
{
    private const string Token = "usage-agreement-test-bearer-token";
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task The_door_list_the_identity_list_and_the_usage_api_agree_to_the_byte()
    {
        await using var relay = await DoorsRelay.StartAsync($"Admin:BearerToken={Token}");
        var addressDoor = await relay.OpenAddressDoorAsync("127.0.0.0/8");
        var inviteDoor = await relay.OpenInviteDoorAsync(maxSessions: 10);
        var alice = await relay.EnrollAsync(inviteDoor, "alice");
        var carol = await JoinAsync(relay, inviteDoor, "carol");

        (int AToB, int BToA)[] anonymous = [(10_007, 3), (1, 65_536)];
        (int AToB, int BToA)[] members = [(4_321, 1_234), (70_001, 0)];
        foreach (var (aToB, bToA) in anonymous)
        {
            using var pair = await TestClient.PairAsync(relay.Host);
            await ExchangeAsync(pair, aToB, bToA);
        }

        foreach (var (aToB, bToA) in members)
        {
            using var pair = await relay.PairAsync(carol, alice);
            await ExchangeAsync(pair, aToB, bToA);
        }

        var total = anonymous.Concat(members).Sum(size => (long)size.AToB + size.BToA);
        await relay.Records.WaitForSessionsAsync(Outcome.Happy, anonymous.Length + members.Length);
        var store = relay.Host.Services.GetRequiredService<UsageStore>();
        await Patience.UntilAsync(
            async () => await store.BytesInAsync(UsageSubjectKind.Box, 0, UsagePeriod.Month, DateTimeOffset.UtcNow, None) == total,
            "the usage writer to write every session");

        using var http = relay.Host.CreateAdminClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var usage = (await http.GetFromJsonAsync<UsageReport>("api/usage?from=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O")), Json))!;
        var byIdentity = (await http.GetFromJsonAsync<IdentityUsageReport>("api/usage/identities", Json))!;
        var doors = (await http.GetFromJsonAsync<DoorView[]>("api/doors?all=true", Json))!;
        var identities = (await http.GetFromJsonAsync<IdentityView[]>("api/identities", Json))!;

        var memberBytes = members.Sum(size => (long)size.AToB + size.BToA);
        var anonymousBytes = total - memberBytes;
        Assert.Equal(anonymous.Length + members.Length, usage.Sessions.Count);
        Assert.Equal(total, usage.Sessions.Sum(row => row.BytesAToB + row.BytesBToA));

        var shownAddressDoor = Assert.Single(doors, door => door.Id == addressDoor.Id);
        var shownInviteDoor = Assert.Single(doors, door => door.Id == inviteDoor.Id);
        Assert.Equal((anonymous.Length, anonymousBytes), (shownAddressDoor.SessionsUsed, shownAddressDoor.BytesUsed));
        Assert.Equal((members.Length, memberBytes), (shownInviteDoor.SessionsUsed, shownInviteDoor.BytesUsed));
        Assert.Equal(10 - members.Length, shownInviteDoor.SessionsLeft);
        Assert.Equal(DoorTotal(usage, addressDoor.Id), (shownAddressDoor.SessionsUsed, shownAddressDoor.BytesUsed));
        Assert.Equal(DoorTotal(usage, inviteDoor.Id), (shownInviteDoor.SessionsUsed, shownInviteDoor.BytesUsed));

        var lastSession = usage.Sessions.Max(row => row.StartedAt.AddSeconds(row.DurationSeconds));
        foreach (var member in new[] { alice, carol })
        {
            var listed = Assert.Single(identities, identity => identity.Id == member.IdentityId);
            Assert.Equal(new UsageSoFar(members.Length, memberBytes), listed.Usage);
            Assert.Equal(memberBytes, Assert.Single(byIdentity.Identities, identity => identity.Id == member.IdentityId).BytesThisMonth);
            Assert.NotNull(listed.LastUsedAt);
            Assert.InRange(listed.LastUsedAt.Value, lastSession.AddSeconds(-1), DateTimeOffset.UtcNow);
            Assert.Equal(listed.LastUsedAt, Assert.Single(listed.Devices).LastUsedAt);
        }
    }

    private static (long Sessions, long Bytes) DoorTotal(UsageReport usage, long doorId)
    {
        var days = usage.Totals.Where(total => total.Kind == "door" && total.Subject == doorId).ToList();
        return (days.Sum(day => day.Sessions), days.Sum(day => day.Bytes));
    }

    private static async Task ExchangeAsync(ClientPair pair, int aToB, int bToA)
    {
        await Task.WhenAll(
            UsageRecordingTests.ExchangeAsync(pair.A, pair.B, aToB),
            UsageRecordingTests.ExchangeAsync(pair.B, pair.A, bToA));
        await pair.BothClosedAsync();
    }

    /// <summary>Redeems an invite to <paramref name="door"/> as a new device: the identity a person gets by joining.</summary>
    private static async Task<Member> JoinAsync(DoorsRelay relay, DoorRecord door, string name)
    {
        var invite = await relay.CreateInviteAsync(door);
        var device = DeviceKey.Create();
        var (client, answer) = await relay.SendAsync(DoorsRelay.JoinLine(invite, device, name));
        client.Dispose();
        Assert.StartsWith("ok identity=", answer);
        var fields = answer.TrimEnd('\n').Split(' ').Skip(1).ToDictionary(field => field.Split('=')[0], field => field[(field.IndexOf('=') + 1)..]);
        return new Member(long.Parse(fields["identity"]), door.Id, device, fields["credential"]);
    }
}
