using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Splicer.Access;
using Splicer.Governance;
using Splicer.Governance.Entry;
using Splicer.Options;
using Splicer.State;

namespace Splicer.Tests.Infrastructure;

/// <summary>
/// A real relay in <c>Doors</c> mode over a real SQLite file, with the owner's stores at hand and
/// helpers that act as native clients: enroll a device, write its <c>relay</c> and <c>join</c> lines.
/// </summary>
internal sealed class DoorsRelay : IAsyncDisposable
{
    public const string RelayName = "relay.test";
    private static readonly CancellationToken None = CancellationToken.None;

    private DoorsRelay(RelayHost host) => Host = host;

    public RelayHost Host { get; }

    public IPEndPoint EndPoint => Host.EndPoint;

    public DoorStore Doors => Host.Services.GetRequiredService<DoorStore>();

    public IdentityStore Identities => Host.Services.GetRequiredService<IdentityStore>();

    public InviteStore Invites => Host.Services.GetRequiredService<InviteStore>();

    public AuditLog Audit => Host.Services.GetRequiredService<AuditLog>();

    public BoxKeyRing BoxKeys => Host.Services.GetRequiredService<BoxKeyRing>();

    public MemoryRecorder Records => Host.Records;

    public static Task<DoorsRelay> StartAsync(params string[] settings) => StartAsync(DataPath.Auto, settings);

    public static async Task<DoorsRelay> StartAsync(DataPath dataPath, params string[] settings) =>
        new(await RelayHost.StartAsync(dataPath, ["Splicer:Access:Mode=Doors", $"Splicer:Access:RelayName={RelayName}", .. settings]));

    public Task<DoorRecord> OpenInviteDoorAsync(TimeSpan? duration = null, long? maxSessions = null, long? maxBytes = null) =>
        Doors.OpenAsync(new DoorRequest(DoorKind.Invite, "test door", duration ?? TimeSpan.FromHours(1), MaxSessions: maxSessions, MaxBytes: maxBytes), "owner", None);

    public Task<DoorRecord> OpenAddressDoorAsync(string prefix, TimeSpan? duration = null) =>
        Doors.OpenAsync(new DoorRequest(DoorKind.Address, "test address door", duration ?? TimeSpan.FromHours(1), IPNetwork.Parse(prefix)), "owner", None);

    /// <summary>A new identity with one device on <paramref name="door"/>, and a credential for it.</summary>
    public async Task<Member> EnrollAsync(DoorRecord door, string name = "alice", TimeSpan? credentialLifetime = null)
    {
        var identity = await Identities.AddAsync(name, "owner", None);
        var device = DeviceKey.Create();
        await Identities.AddDeviceAsync(identity.Id, device.PublicKey, name + "-laptop", "owner", None);
        await Doors.AddMemberAsync(door.Id, identity.Id, "owner", None);
        return new Member(identity.Id, door.Id, device, Credential(identity.Id, door.Id, device, credentialLifetime ?? TimeSpan.FromDays(1)));
    }

    public string Credential(long identityId, long doorId, DeviceKey device, TimeSpan lifetime)
    {
        var now = DateTimeOffset.UtcNow;
        return Splicer.Access.Credential.Issue(BoxKeys.Signer, identityId, doorId, device.PublicKey.Span, now, now + lifetime);
    }

    /// <summary>An invite to <paramref name="door"/> (at 127.0.0.1 unless <paramref name="addresses"/> says), stored as the admin would store it.</summary>
    public async Task<InviteCode> CreateInviteAsync(DoorRecord door, int uses = 1, TimeSpan? lifetime = null, IReadOnlyList<string>? addresses = null)
    {
        var invite = InviteCode.Create(addresses ?? [$"127.0.0.1:{EndPoint.Port}"], RelayName, BoxKeys.Current);
        await Invites.CreateAsync(door.Id, invite.SecretHash, uses, DateTimeOffset.UtcNow + (lifetime ?? TimeSpan.FromHours(1)), "owner", None);
        return invite;
    }

    public static string RelayLine(string token, string side, string credential, DeviceKey signer, string relayName = RelayName, long? time = null)
    {
        var at = time ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var proof = ProofOfPossession.Sign(signer, ProofOfPossession.RelayMessage(token, side, credential, relayName, at));
        return $"splicer 1 relay {token} {side} {credential} {at} {proof}\n";
    }

    public static string JoinLine(InviteCode invite, DeviceKey device, string name)
    {
        var at = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var proof = ProofOfPossession.Sign(device, ProofOfPossession.JoinMessage(invite.Secret.Span, device.PublicKeyText, name, RelayName, at));
        return $"splicer 1 join {Base64UrlText.Encode(invite.Secret.Span)} {device.PublicKeyText} {at} {proof} {name}\n";
    }

    /// <summary>Connects and sends <paramref name="line"/>; returns the client and the relay's first answer.</summary>
    public async Task<(TestClient Client, string Answer)> SendAsync(string line, IPAddress? from = null)
    {
        var client = await TestClient.ConnectAsync(EndPoint, from);
        await client.SendAsync(line);
        return (client, await client.ReadLineAsync());
    }

    /// <summary>Two members pair on a fresh token: each reads <c>ok …</c>, then <c>paired</c>.</summary>
    public async Task<ClientPair> PairAsync(Member a, Member b)
    {
        var token = Pairing.NewToken();
        var (first, firstAnswer) = await SendAsync(RelayLine(token, Pairing.NewSide(), a.Credential, a.Device));
        Assert.StartsWith("ok expires=", firstAnswer);
        await Patience.Until(() => Host.Services.WaitingConnections() > 0, "the first member to wait");
        var (second, secondAnswer) = await SendAsync(RelayLine(token, Pairing.NewSide(), b.Credential, b.Device));
        Assert.StartsWith("ok expires=", secondAnswer);
        Assert.Equal("paired\n", await first.ReadLineAsync());
        Assert.Equal("paired\n", await second.ReadLineAsync());
        return new ClientPair(first, second, token);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

/// <summary>An enrolled identity's device and the credential it presents.</summary>
internal sealed record Member(long IdentityId, long DoorId, DeviceKey Device, string Credential);
