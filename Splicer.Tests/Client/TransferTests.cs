using System.Diagnostics;
using System.Security.Cryptography;
using Splicer.Client.Framing;
using Splicer.Options;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Client;

/// <summary><c>splicer send</c> and <c>splicer receive</c>, two processes of the built program through a real relay.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TransferTests : IAsyncLifetime
{
    private readonly ClientFolder _folder = new();
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("splicer-transfer-");
    private RelayHost? _relay;

    private string Url => $"tcp://127.0.0.1:{_relay!.EndPoint.Port}";

    private string Source => Path.Combine(_work.FullName, "from");

    private string Destination => Path.Combine(_work.FullName, "to");

    public async Task InitializeAsync()
    {
        _relay = await RelayHost.StartAsync(DataPath.Auto);
        Directory.CreateDirectory(Source);
        Directory.CreateDirectory(Destination);
    }

    public async Task DisposeAsync()
    {
        await _relay!.DisposeAsync();
        _folder.Dispose();
        _work.Delete(recursive: true);
    }

    [Fact]
    public async Task A_folder_tree_arrives_byte_exact_with_modes_empty_folders_and_symlinks_as_links()
    {
        var tree = Path.Combine(Source, "tree");
        Directory.CreateDirectory(Path.Combine(tree, "sub", "empty"));
        await File.WriteAllBytesAsync(Path.Combine(tree, "big.bin"), RandomNumberGenerator.GetBytes(3 << 20));
        await File.WriteAllTextAsync(Path.Combine(tree, "sub", "secret.txt"), "only mine");
        await File.WriteAllBytesAsync(Path.Combine(tree, "sub", "empty.bin"), []);
        File.SetUnixFileMode(Path.Combine(tree, "big.bin"), (UnixFileMode)Convert.ToInt32("755", 8));
        File.SetUnixFileMode(Path.Combine(tree, "sub", "secret.txt"), (UnixFileMode)Convert.ToInt32("600", 8));
        File.SetUnixFileMode(Path.Combine(tree, "sub"), (UnixFileMode)Convert.ToInt32("750", 8));
        File.CreateSymbolicLink(Path.Combine(tree, "link"), "sub/secret.txt");
        File.CreateSymbolicLink(Path.Combine(tree, "dangling"), "/nowhere/at/all");

        var (send, receive) = await TransferAsync("tree");

        Assert.True(send.Exit == 0, send.Error);
        Assert.True(receive.Exit == 0, receive.Error);
        var received = Path.Combine(Destination, "tree");
        foreach (var original in Directory.EnumerateFileSystemEntries(tree, "*", SearchOption.AllDirectories).Prepend(tree))
        {
            var copy = Path.Combine(received, Path.GetRelativePath(tree, original));
            var (before, after) = (new FileInfo(original), new FileInfo(copy));
            Assert.Equal(before.LinkTarget, after.LinkTarget);
            if (before.LinkTarget is null)
            {
                Assert.Equal(File.GetUnixFileMode(original), File.GetUnixFileMode(copy));
            }

            if (before.LinkTarget is null && File.Exists(original))
            {
                Assert.Equal(await File.ReadAllBytesAsync(original), await File.ReadAllBytesAsync(copy));
            }
        }

        Assert.True(Directory.Exists(Path.Combine(received, "sub", "empty")));
        Assert.Equal(["tree"], Directory.EnumerateFileSystemEntries(Destination).Select(Path.GetFileName));
        Assert.Contains("received: 3.0 MiB of 3.0 MiB (100%)", receive.Output);
    }

    [Fact]
    public async Task A_transfer_cut_halfway_resumes_with_the_same_code_and_finishes_with_the_right_hash()
    {
        var file = Path.Combine(Source, "movie.bin");
        await File.WriteAllBytesAsync(file, RandomNumberGenerator.GetBytes(16 << 20));
        var code = PairingCode.Create().Text();
        await using (var meddler = new MeddlingProxy(_relay!.EndPoint, cutAfter: 8 << 20))
        {
            await using var sender = ClientProcess.Start(_folder.Path, ["send", "movie.bin", "--code", code, "--relay", meddler.Url], Source);
            await using var receiver = ClientProcess.Start(_folder.Path, ["receive", code, "--relay", Url], Destination);
            await meddler.Cut.Task.WithPatience();

            Assert.Equal(1, await receiver.WaitForExitAsync());
            Assert.Contains("was cut after", receiver.Error);
            await sender.KillAsync();
        }

        Assert.False(File.Exists(Path.Combine(Destination, "movie.bin")));
        var kept = Assert.Single(Directory.GetFiles(Destination, "movie.bin", SearchOption.AllDirectories));
        Assert.InRange(new FileInfo(kept).Length, 1, (8 << 20) - 1);

        var (send, receive) = await TransferAsync("movie.bin", code);

        Assert.True(receive.Exit == 0, receive.Error);
        Assert.True(send.Exit == 0, send.Error);
        Assert.Matches(@"Resuming: \d+\.\d MiB of 16\.0 MiB are already here", receive.Error);
        Assert.Equal(SHA256.HashData(await File.ReadAllBytesAsync(file)), SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(Destination, "movie.bin"))));
        Assert.Equal(["movie.bin"], Directory.EnumerateFileSystemEntries(Destination).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_receiver_killed_with_SIGKILL_halfway_resumes_with_the_same_code_and_finishes_with_the_right_hash()
    {
        var file = Path.Combine(Source, "backup.bin");
        await File.WriteAllBytesAsync(file, RandomNumberGenerator.GetBytes(16 << 20));
        var code = PairingCode.Create().Text();
        await using (var meddler = new MeddlingProxy(_relay!.EndPoint, holdAfter: 8 << 20))
        {
            await using var sender = ClientProcess.Start(_folder.Path, ["send", "backup.bin", "--code", code, "--relay", meddler.Url], Source);
            await using var receiver = ClientProcess.Start(_folder.Path, ["receive", code, "--relay", Url], Destination);
            await meddler.Cut.Task.WithPatience();
            await Patience.Until(() => Directory.GetFiles(Destination, "backup.bin", SearchOption.AllDirectories).Any(kept => new FileInfo(kept).Length > 0),
                "the receiver to keep part of the file");

            await receiver.KillAsync();
            await sender.KillAsync();
        }

        var (send, receive) = await TransferAsync("backup.bin", code);

        Assert.True(receive.Exit == 0, receive.Error);
        Assert.True(send.Exit == 0, send.Error);
        Assert.Matches(@"Resuming: \d+\.\d MiB of 16\.0 MiB are already here", receive.Error);
        Assert.Equal(SHA256.HashData(await File.ReadAllBytesAsync(file)), SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(Destination, "backup.bin"))));
        Assert.Equal(["backup.bin"], Directory.EnumerateFileSystemEntries(Destination).Select(Path.GetFileName));
    }

    [Fact]
    public async Task In_a_terminal_the_progress_is_a_bar_and_otherwise_plain_lines()
    {
        await File.WriteAllBytesAsync(Path.Combine(Source, "report.bin"), RandomNumberGenerator.GetBytes(2 << 20));
        var code = PairingCode.Create().Text();
        await using var sender = ClientProcess.Start(_folder.Path, ["send", "report.bin", "--code", code, "--relay", Url], Source);

        var terminal = await InTerminalAsync(SplicerProgram.ShellLine("receive", code, "--relay", Url));

        Assert.Equal(0, await sender.WaitForExitAsync());
        Assert.Contains("\u001b[", terminal);
        Assert.Matches(@"received \u001b\[[0-9;]*m━+.* \u001b\[[0-9;]*m100%.*2\.0 MiB", terminal);
        Assert.DoesNotContain("received: ", terminal);
        Assert.True(File.Exists(Path.Combine(Destination, "report.bin")));
    }

    [Fact]
    public async Task A_receiver_refuses_to_overwrite_and_the_sender_is_told_why()
    {
        await File.WriteAllTextAsync(Path.Combine(Source, "notes.txt"), "new");
        await File.WriteAllTextAsync(Path.Combine(Destination, "notes.txt"), "old");

        var (send, receive) = await TransferAsync("notes.txt");

        Assert.Equal((1, 1), (send.Exit, receive.Exit));
        Assert.Contains("already exists", receive.Error);
        Assert.Contains("the receiver refused the transfer: notes.txt already exists there", send.Error);
        Assert.Equal("old", await File.ReadAllTextAsync(Path.Combine(Destination, "notes.txt")));
    }

    private async Task<((int Exit, string Output, string Error) Send, (int Exit, string Output, string Error) Receive)> TransferAsync(string name, string? code = null)
    {
        code ??= PairingCode.Create().Text();
        await using var sender = ClientProcess.Start(_folder.Path, ["send", name, "--code", code, "--relay", Url], Source);
        await using var receiver = ClientProcess.Start(_folder.Path, ["receive", code, "--relay", Url], Destination);
        sender.Input.Close();
        receiver.Input.Close();
        var outputs = await Task.WhenAll(new StreamReader(sender.Output).ReadToEndAsync(), new StreamReader(receiver.Output).ReadToEndAsync()).WithPatience();
        return ((await sender.WaitForExitAsync(), outputs[0], sender.Error), (await receiver.WaitForExitAsync(), outputs[1], receiver.Error));
    }

    /// <summary>Runs <paramref name="command"/> in a pseudo-terminal (util-linux <c>script</c>) and returns what the terminal showed.</summary>
    private async Task<string> InTerminalAsync(string command)
    {
        var info = new ProcessStartInfo("script", ["-qec", command, "/dev/null"])
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Destination,
        };
        info.Environment["XDG_CONFIG_HOME"] = _folder.Path;
        info.Environment["TERM"] = "xterm-256color";
        info.Environment["COLUMNS"] = "120";
        using var script = Process.Start(info)!;
        var output = await script.StandardOutput.ReadToEndAsync().WithPatience();
        await script.WaitForExitAsync().WithPatience();
        Assert.True(script.ExitCode == 0, output);
        return output;
    }
}
