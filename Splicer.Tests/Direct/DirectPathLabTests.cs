using Splicer.Client.Framing;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Direct;

/// <summary>
/// Brokered TCP simultaneous open through real NATs (<see cref="NatLab"/>), with the built <c>splicer</c> on both hosts
/// and as the relay. One lab for the class; each test sets the routers it needs.
/// </summary>
[Requires(Prerequisite.Root)]
[Collection(NatLabCollection.Name)]
public sealed class DirectPathLabTests(NatLab lab)
{
    [RequiresFact]
    public async Task Two_hosts_behind_port_preserving_NATs_get_a_proven_direct_connection_through_the_broker()
    {
        await lab.ConfigureAsync(RouterKind.Easy, RouterKind.Easy);

        var (a, b) = await ProbeAsync();

        Assert.True(a.Path == "direct", a.Detail);
        Assert.True(b.Path == "direct", b.Detail);
    }

    [RequiresTheory]
    [InlineData(500)]
    [InlineData(2000)]
    public async Task A_late_side_still_gets_through(int lateMilliseconds)
    {
        await lab.ConfigureAsync(RouterKind.Easy, RouterKind.Easy);

        var (a, b) = await ProbeAsync(lateB: lateMilliseconds);

        Assert.True(a.Path == "direct" && b.Path == "direct", $"{a.Detail} / {b.Detail}");
    }

    [RequiresFact]
    public async Task Two_fully_random_NATs_leave_both_sides_on_the_relay_with_a_reason()
    {
        await lab.ConfigureAsync(RouterKind.Random, RouterKind.Random);

        var (a, b) = await ProbeAsync();

        Assert.Equal(("relayed", "relayed"), (a.Path, b.Path));
        Assert.False(string.IsNullOrEmpty(a.Detail));
    }

    [RequiresFact]
    public async Task A_fully_random_NAT_facing_a_port_preserving_one_gets_through_by_birthday_probing()
    {
        await lab.ConfigureAsync(RouterKind.Random, RouterKind.Easy);

        // 1024 sockets a side: about 16 expected hits, so a miss is a one-in-ten-million event (256, the default, hits ~64 %).
        var (a, b) = await ProbeAsync(options: ["--birthday-sockets", "1024"]);

        Assert.True(a.Path == "direct" && b.Path == "direct", $"{a.Detail} / {b.Detail}");
    }

    [RequiresFact(ProgramsInstalledOnCi = ["miniupnpd"])]
    public async Task A_hard_NAT_whose_router_maps_a_port_gets_a_direct_path_through_the_mapping()
    {
        await lab.ConfigureAsync(RouterKind.Easy, RouterKind.Easy);
        await using var router = await lab.StartMappingRouterAsync(lab.A);

        var (a, b) = await ProbeAsync();

        // Without the mapping a fully-random NAT never gets through (the test above).
        Assert.True(a.Path == "direct" && b.Path == "direct", $"{a.Detail} / {b.Detail}\n{router.Log}");
        Assert.Contains("PCP MAP: added mapping TCP", router.Log);
        Assert.Contains("mapping removed", router.Log); // released when the attempt ended
    }

    [RequiresFact]
    public async Task A_64_MiB_stream_starts_on_the_relay_moves_to_the_direct_path_and_arrives_byte_exact()
    {
        await lab.ConfigureAsync(RouterKind.Easy, RouterKind.Easy);

        // The receiver dials 2 s late, so the stream surely starts on the relay however fast the punch would be.
        var (senderError, receiverError) = await PipeAsync(
            sender => sender.WaitForErrorLineAsync(line => line.StartsWith("path: direct", StringComparison.Ordinal)), "--punch-delay", "2000");

        var (relayed, direct) = LabSessions.ReceivedByPath(receiverError);
        Assert.True(relayed > 0 && direct > 0 && relayed + direct == LabSessions.PayloadLength, $"sender:\n{senderError}\nreceiver:\n{receiverError}");
    }

    [RequiresFact]
    public async Task Behind_two_fully_random_NATs_a_64_MiB_stream_completes_on_the_relay()
    {
        await lab.ConfigureAsync(RouterKind.Random, RouterKind.Random);

        var (senderError, receiverError) = await PipeAsync(_ => Task.CompletedTask);

        Assert.DoesNotContain("path: direct", senderError + receiverError);
    }

    private Task<(string SenderError, string ReceiverError)> PipeAsync(Func<ClientProcess, Task> midway, params string[] receiverOptions) =>
        lab.PipeAsync(midway, [], receiverOptions);

    [RequiresFact]
    public async Task Direct_only_through_a_NAT_that_cannot_be_punched_fails_with_the_reason()
    {
        await lab.ConfigureAsync(RouterKind.Random, RouterKind.Random);
        var code = PairingCode.Create().Text();
        await using var a = lab.Pipe(lab.A, "pipe", code, "--direct-only");
        await using var b = lab.Pipe(lab.B, "pipe", code, "--direct-only");
        a.Input.Close();
        b.Input.Close();

        Assert.Equal((1, 1), (await a.WaitForExitAsync(), await b.WaitForExitAsync()));
        Assert.Contains("--direct-only: no direct path to the peer", a.Error);
    }

    private Task<(ProbeReport A, ProbeReport B)> ProbeAsync(int lateB = 0, string[]? options = null) => lab.ProbeAsync(lateB, options ?? []);
}

[CollectionDefinition(Name)]
public sealed class NatLabCollection : ICollectionFixture<NatLab>
{
    public const string Name = "NAT lab";
}
