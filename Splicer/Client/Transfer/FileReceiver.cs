using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Splicer.Client.Failures;
using Splicer.Client.Framing;

namespace Splicer.Client.Transfer;

/// <summary>
/// <c>splicer receive</c>'s side: checks the manifest, answers how much of each file an earlier try left in its
/// staging folder (<c>.splicer-receive-ID</c> beside the result, the ID derived from the code and the manifest),
/// writes only authenticated bytes there, checks each file's SHA-256, waits for the sender's authenticated end,
/// then makes links, sets modes and moves the result into place. An interrupted transfer leaves the staging
/// folder; the same command again resumes from it.
/// </summary>
public sealed class FileReceiver(string destination, CodeKeys keys)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public async Task<string> ReceiveAsync(PeerStream peer, CancellationToken cancellationToken)
    {
        var manifest = TransferManifest.FromJson(await TransferMessages.ReadBytesAsync(peer, "list of files", cancellationToken));
        var final = Path.Combine(destination, manifest.RootName);
        if (Path.Exists(final) || new FileInfo(final).LinkTarget is not null)
        {
            await TransferMessages.WriteAsync(peer, new ResumeOffsets([], $"{manifest.RootName} already exists there"), cancellationToken);
            throw new ClientFailure($"{final} already exists; move it away or receive into another folder (--into)");
        }

        var staging = StagingFolder(manifest);
        var files = manifest.Files.ToList();
        var offsets = files.Select(file => KeptLength(TransferManifest.Local(staging, file), file.Size)).ToList();
        await TransferMessages.WriteAsync(peer, new ResumeOffsets(offsets), cancellationToken);
        if (offsets.Sum() > 0)
        {
            Console.Error.WriteLine($"Resuming: {TransferProgress.Size(offsets.Sum())} of {TransferProgress.Size(manifest.TotalBytes)} are already here.");
        }

        foreach (var directory in manifest.Entries.Where(entry => entry.Kind == EntryKind.Directory))
        {
            Directory.CreateDirectory(TransferManifest.Local(staging, directory));
        }

        await TransferProgress.RunAsync("received", manifest.TotalBytes, offsets.Sum(), async advance =>
        {
            for (var i = 0; i < files.Count; i++)
            {
                await ReceiveFileAsync(peer, TransferManifest.Local(staging, files[i]), files[i], offsets[i], advance, cancellationToken);
            }
        });

        if (await peer.ReadAsync(new byte[1], cancellationToken) != 0)
        {
            throw new ClientFailure("the sender sent more than its list of files");
        }

        Finish(manifest, staging, final);
        await TransferMessages.WriteAsync(peer, new TransferVerdict(true, null), cancellationToken);
        await peer.CompleteWritesAsync(cancellationToken);
        return final;
    }

    private string StagingFolder(TransferManifest manifest)
    {
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(keys.Token("resume") + manifest.Hash())))[..16];
        var staging = Path.Combine(destination, $".splicer-receive-{id}");
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(staging);
        }
        else
        {
            Directory.CreateDirectory(staging, OwnerOnly);
        }

        return staging;
    }

    /// <summary>How much of a file an earlier try kept: every byte of it was authenticated when written.</summary>
    private static long KeptLength(string path, long size)
    {
        var kept = new FileInfo(path);
        return kept.Exists && kept.LinkTarget is null && kept.Length <= size ? kept.Length : 0;
    }

    private static async Task ReceiveFileAsync(
        PeerStream peer, string path, TransferEntry file, long offset, Action<long> advance, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(SealedStream.MaxPayload);
        try
        {
            await using var target = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
            target.SetLength(offset);
            await HashKeptAsync(target, hash, buffer, cancellationToken);
            for (var left = file.Size - offset; left > 0;)
            {
                var read = await peer.ReadAsync(buffer.AsMemory(0, (int)Math.Min(SealedStream.MaxPayload, left)), cancellationToken);
                if (read == 0)
                {
                    throw new ClientFailure($"the sender ended the transfer in the middle of {file.Path}");
                }

                hash.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                advance(read);
                left -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var expected = new byte[32];
        await TransferMessages.ReadExactlyAsync(peer, expected, $"hash of {file.Path}", cancellationToken);
        if (!CryptographicOperations.FixedTimeEquals(expected, hash.GetHashAndReset()))
        {
            File.Delete(path);
            throw new ClientFailure($"the hash check of {file.Path} failed (it changed at the sender during the transfer); run the same command again to fetch it afresh");
        }
    }

    private static async Task HashKeptAsync(FileStream kept, IncrementalHash hash, byte[] buffer, CancellationToken cancellationToken)
    {
        kept.Position = 0;
        int read;
        while ((read = await kept.ReadAsync(buffer.AsMemory(0, SealedStream.MaxPayload), cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }
    }

    private static void Finish(TransferManifest manifest, string staging, string final)
    {
        foreach (var link in manifest.Entries.Where(entry => entry.Kind == EntryKind.Link))
        {
            var path = TransferManifest.Local(staging, link);
            File.Delete(path);
            File.CreateSymbolicLink(path, link.Target!);
        }

        if (!OperatingSystem.IsWindows())
        {
            foreach (var entry in manifest.Entries.Where(entry => entry.Kind != EntryKind.Link).Reverse())
            {
                if (entry.Mode != 0)
                {
                    File.SetUnixFileMode(TransferManifest.Local(staging, entry), (UnixFileMode)entry.Mode);
                }
            }
        }

        var root = TransferManifest.Local(staging, manifest.Entries[0]);
        if (manifest.Entries[0].Kind == EntryKind.Directory)
        {
            Directory.Move(root, final);
        }
        else
        {
            File.Move(root, final);
        }

        Directory.Delete(staging, recursive: true);
    }
}
