using System.Diagnostics;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Appliance;

/// <summary>
/// appliance/client/build-client for linux-x64: the client-only program is one native file of at most 15 MB (libsodium inside) that runs and says its version, and the client-only .deb holds just /usr/bin/splicer and its shell completion, with no service and no maintainer scripts.
/// </summary>
[Collection(ApplianceCollection.Name)]
public sealed class ClientBuildTests
{
    /// <summary>The download people compare with croc's (~10 MB): 15 MB at most.</summary>
    private const long MaxClientBytes = 15_000_000;

    [ApplianceFact("dpkg-deb")]
    public async Task The_linux_x64_single_file_and_the_client_deb_run_and_start_no_service()
    {
        var output = Directory.CreateTempSubdirectory("splicer-client-build-");
        try
        {
            var built = await ApplianceScript.RunAsync("client/build-client", TimeSpan.FromMinutes(15), [$"SPLICER_APPLIANCE_OUT={output.FullName}"], "--rid", "linux-x64");
            Assert.True(built.ExitCode == 0, built.Output);
            var client = Path.Combine(output.FullName, "client");
            var single = Assert.Single(Directory.GetFiles(client, "splicer-*-linux-x64"));
            var deb = Assert.Single(Directory.GetFiles(client, "splicer-client_*_amd64.deb"));
            Assert.True(new FileInfo(single).Length <= MaxClientBytes, $"{single} is {new FileInfo(single).Length} bytes, more than 15 MB");
            Assert.Equal(["splicer-client"], Directory.GetFiles(Path.Combine(client, "publish", "linux-x64")).Select(Path.GetFileName));

            Assert.Matches(@"^\d+\.\d+\.\d+", await RunAsync(single, "--version"));
            Assert.Matches(@"^([bdfghjklmnprstvz][aiou][bdfghjklmnprstvz][aiou]-){10}[bdfghjklmnprstvz][aiou][bdfghjklmnprstvz][aiou]$", (await RunAsync(single, "code")).Trim());

            var contents = await RunAsync("dpkg-deb", "--contents", deb);
            Assert.Contains("./usr/bin/splicer", contents);
            Assert.Contains("./usr/share/bash-completion/completions/splicer", contents);
            Assert.Contains("./usr/share/zsh/vendor-completions/_splicer", contents);
            Assert.DoesNotContain("systemd", contents);
            Assert.DoesNotContain("/etc/", contents);
            var control = await RunAsync("dpkg-deb", "--ctrl-tarfile", deb);
            Assert.DoesNotContain("postinst", control);

            var root = Path.Combine(output.FullName, "root");
            await RunAsync("dpkg-deb", "-x", deb, root);
            Assert.Matches(@"^\d+\.\d+\.\d+", await RunAsync(Path.Combine(root, "usr", "bin", "splicer"), "--version"));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync().WithPatience();
        await process.WaitForExitAsync().WithPatience();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)}: {await process.StandardError.ReadToEndAsync()}");
        return output;
    }
}
