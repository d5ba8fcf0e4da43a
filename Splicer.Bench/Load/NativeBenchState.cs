using Splicer.Access;
using Splicer.Governance;
using Splicer.Governance.Entry;
using Splicer.State;

namespace Splicer.Bench.Load;

/// <summary>
/// A state directory seeded for the native handshake before the relay starts: an invite door without
/// limits, two identities with a device each on it, and their credentials signed by the box key the
/// relay will load. The relay, started on this folder in <c>Doors</c> mode, checks every line for real.
/// </summary>
internal sealed record NativeBenchState(string RelayName, string OkLine, NativeBenchMember A, NativeBenchMember B)
{
    public const string BenchRelayName = "bench";

    public static async Task<NativeBenchState> SeedAsync(string stateDirectory, CancellationToken cancellationToken)
    {
        var directory = new StateDirectory(stateDirectory).EnsureExists();
        await using var database = new StateDatabase(directory);
        await database.OpenAsync(cancellationToken);
        var time = TimeProvider.System;
        var identities = new IdentityStore(database, time);
        var doors = new DoorStore(database, time);
        var door = await doors.OpenAsync(new DoorRequest(DoorKind.Invite, "bench", TimeSpan.FromDays(1)), "bench", cancellationToken);
        using var ring = BoxKeyRing.LoadOrCreate(directory.Path, TimeSpan.FromDays(30), time);

        async Task<NativeBenchMember> EnrollAsync(string name)
        {
            var identity = await identities.AddAsync(name, "bench", cancellationToken);
            var device = DeviceKey.Create();
            await identities.AddDeviceAsync(identity.Id, device.PublicKey, name, "bench", cancellationToken);
            await doors.AddMemberAsync(door.Id, identity.Id, "bench", cancellationToken);
            var now = time.GetUtcNow();
            return new NativeBenchMember(device, Credential.Issue(ring.Signer, identity.Id, door.Id, device.PublicKey.Span, now, now.AddDays(30)));
        }

        var okLine = $"ok expires={door.ExpiresAt.ToUnixTimeSeconds()} bytes=unlimited sessions=unlimited rate=unlimited concurrent=unlimited spent=cut\n";
        return new NativeBenchState(BenchRelayName, okLine, await EnrollAsync("near"), await EnrollAsync("far"));
    }
}

internal sealed record NativeBenchMember(DeviceKey Device, string Credential);
