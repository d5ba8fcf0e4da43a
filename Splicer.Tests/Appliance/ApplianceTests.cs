using Xunit.Abstractions;

namespace Splicer.Tests.Appliance;

/// <summary>The appliance, end to end: each test runs one script of appliance/tests and passes if it does.</summary>
[Collection(ApplianceCollection.Name)]
public sealed class ApplianceTests(ApplianceBuildFixture build, ITestOutputHelper output)
{
    [ApplianceFact("lintian", "systemd-analyze")]
    public Task Package_passes_lintian_and_its_unit_verifies_with_an_OK_security_score() =>
        RunWithDebAsync("tests/package-checks", TimeSpan.FromMinutes(5));

    [ApplianceFact("debootstrap", "ip")]
    public Task Deb_installs_in_a_debootstrap_chroot_relays_across_namespaces_and_purges_cleanly() =>
        RunWithDebAsync("tests/deb-chroot-test", TimeSpan.FromMinutes(15));

    [ApplianceFact("nft", "ip")]
    public async Task Firewall_opens_the_splice_port_to_all_and_the_admin_port_to_management_only()
    {
        var result = await ApplianceScript.RunAsync("tests/firewall-test", TimeSpan.FromMinutes(5), []);
        Report(result);
    }

    [ApplianceFact("debootstrap", "qemu-system-x86_64", "mcopy", "grub-mkimage")]
    public Task Disk_image_boots_by_BIOS_under_qemu_grows_its_data_partition_and_relays_a_pairing_on_a_forwarded_port() =>
        RunWithImageAsync("x64", "tests/qemu-boot-test", TimeSpan.FromMinutes(30), "--firmware", "bios");

    [ApplianceFact("debootstrap", "qemu-system-x86_64", "mcopy", "grub-mkimage")]
    public Task Disk_image_boots_by_UEFI_under_qemu_grows_its_data_partition_and_relays_a_pairing_on_a_forwarded_port() =>
        RunWithImageAsync("x64", "tests/qemu-boot-test", TimeSpan.FromMinutes(30), "--firmware", "uefi");

    [ApplianceArm64Fact("debootstrap", "qemu-system-aarch64", "mcopy", "rauc")]
    public Task Arm64_image_boots_by_UEFI_under_qemu_system_aarch64_and_relays_a_pairing_on_a_forwarded_port() =>
        RunWithImageAsync("arm64", "tests/qemu-boot-test", TimeSpan.FromMinutes(30), "--arch", "arm64");

    [ApplianceFact("debootstrap", "qemu-system-x86_64", "mcopy", "grub-mkimage", "rauc", "ssh", "curl")]
    public Task Update_from_the_admin_API_and_the_shell_refuses_a_foreign_signature_falls_back_from_a_never_ready_system_and_keeps_doors_and_usage() =>
        RunWithImageAsync("x64", "tests/qemu-update-test", TimeSpan.FromMinutes(45), "--firmware", "uefi");

    private async Task RunWithImageAsync(string arch, string script, TimeSpan timeLimit, params string[] arguments)
    {
        var image = await build.ImageAsync(arch);
        var result = await ApplianceScript.RunAsync(script, timeLimit, [], [.. arguments, image]);
        Report(result);
    }

    private async Task RunWithDebAsync(string script, TimeSpan timeLimit)
    {
        var deb = await build.DebAsync();
        var result = await ApplianceScript.RunAsync(script, timeLimit, [$"SPLICER_DEB={deb}"]);
        Report(result);
    }

    private void Report(ApplianceScript.Result result)
    {
        output.WriteLine(result.Output);
        Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}:{Environment.NewLine}{result.Output}");
    }
}
