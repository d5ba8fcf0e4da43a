using System.Text.Json;
using Splicer.Client;
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

    [RequiresFact]
    public async Task A_side_two_seconds_late_still_gets_through()
    {
        await lab.ConfigureAsync(RouterKind.Easy, RouterKind.Easy);

        var (a, b) = await ProbeAsync(lateB: 2000);

        Assert.True(a.Path == "direct" && b.Path == "direct", $"{a.Detail} / {b.Detail}");
    }

    [RequiresFact]
    public async Task A_fully_random_NAT_leaves_both_sides_on_the_relay_with_a_reason()
    {
        await lab.ConfigureAsync(RouterKind.Random, RouterKind.Easy);

        var (a, b) = await ProbeAsync();

        Assert.Equal(("relayed", "relayed"), (a.Path, b.Path));
        Assert.False(string.IsNullOrEmpty(a.Detail));
    }

    private async Task<(ProbeReport A, ProbeReport B)> ProbeAsync(int lateB = 0)
    {
        var code = PairingCode.Create().Text();
        await using var a = lab.Client(lab.A, "punch-probe", code);
        await using var b = lab.Client(lab.B, ["punch-probe", code, "--punch-delay", lateB.ToString()]);
        return (await ReportAsync(a), await ReportAsync(b));
    }

    private static async Task<ProbeReport> ReportAsync(ExternalProcess probe)
    {
        var line = await probe.WaitForLineAsync(text => text.StartsWith("{\"path\"", StringComparison.Ordinal));
        Assert.Equal(0, await probe.WaitForExitAsync());
        return JsonSerializer.Deserialize<ProbeReport>(line, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    private sealed record ProbeReport(string Path, string Detail, double PairedMs, double? DirectMs);
}

[CollectionDefinition(Name)]
public sealed class NatLabCollection : ICollectionFixture<NatLab>
{
    public const string Name = "NAT lab";
}
