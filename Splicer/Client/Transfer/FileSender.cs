using System.Buffers;
using System.Security.Cryptography;
using Splicer.Client.Failures;
using Splicer.Client.Framing;

namespace Splicer.Client.Transfer;

/// <summary>
/// <c>splicer send</c>'s side of a transfer, inside the protected stream: the manifest; the receiver's resume
/// offsets; each file from its offset followed by the SHA-256 of the whole file; the end; then the receiver's
/// verdict.
/// </summary>
public sealed class FileSender(TransferManifest manifest, string parent)
{
    public async Task SendAsync(PeerStream peer, CancellationToken cancellationToken)
    {
        await TransferMessages.WriteAsync(peer, manifest, cancellationToken);
        var resume = await TransferMessages.ReadAsync<ResumeOffsets>(peer, "resume offsets", cancellationToken);
        if (resume.Refused is { } refused)
        {
            throw new ClientFailure($"the receiver refused the transfer: {refused}");
        }

        var files = manifest.Files.ToList();
        if (resume.Offsets.Count != files.Count || resume.Offsets.Where((offset, i) => offset < 0 || offset > files[i].Size).Any())
        {
            throw new ClientFailure("the receiver's resume offsets do not fit the files");
        }

        var already = resume.Offsets.Sum();
        if (already > 0)
        {
            Console.Error.WriteLine($"Resuming: the receiver already has {TransferProgress.Size(already)}.");
        }

        await TransferProgress.RunAsync("sent", manifest.TotalBytes, already, async advance =>
        {
            for (var i = 0; i < files.Count; i++)
            {
                await SendFileAsync(peer, files[i], resume.Offsets[i], advance, cancellationToken);
            }
        });
        await peer.CompleteWritesAsync(cancellationToken);

        var verdict = await TransferMessages.ReadAsync<TransferVerdict>(peer, "verdict", cancellationToken);
        if (!verdict.Ok)
        {
            throw new ClientFailure($"the receiver refused the transfer: {verdict.Problem}");
        }
    }

    private async Task SendFileAsync(Stream peer, TransferEntry file, long offset, Action<long> advance, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(SealedStream.MaxPayload);
        try
        {
            await using var source = new FileStream(TransferManifest.Local(parent, file), FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
            long position = 0;
            while (position < file.Size)
            {
                var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(SealedStream.MaxPayload, file.Size - position)), cancellationToken);
                if (read == 0)
                {
                    throw new ClientFailure($"{file.Path} became shorter while it was being sent");
                }

                hash.AppendData(buffer, 0, read);
                var fresh = (int)Math.Clamp(position + read - offset, 0, read);
                if (fresh > 0)
                {
                    await peer.WriteAsync(buffer.AsMemory(read - fresh, fresh), cancellationToken);
                    advance(fresh);
                }

                position += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        await peer.WriteAsync(hash.GetHashAndReset(), cancellationToken);
    }
}
