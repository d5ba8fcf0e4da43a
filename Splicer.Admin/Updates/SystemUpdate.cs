using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Splicer.Admin.Hosting;
using Splicer.Admin.Live;

namespace Splicer.Admin.Updates;

/// <summary>
/// The relay's side of updating the appliance: receives one bundle at a time into its own folder, checks
/// that it is a RAUC bundle within the size limit, and asks the root update service to install it or to
/// reboot (audited as <c>system.update</c> and <c>system.reboot</c>). RAUC checks the signature.
/// </summary>
internal sealed class SystemUpdate(IOptions<AdminOptions> options, IAdminAudit audit, ILogger<SystemUpdate> logger) : ISystemUpdate
{
    private const int BufferSize = 128 * 1024;

    // A verity bundle (the only format the appliance accepts) is a squashfs image: it starts with its magic.
    private static ReadOnlySpan<byte> SquashfsMagic => "hsqs"u8;

    private readonly UpdateFiles _files = new(
        options.Value.Update.Directory ?? throw new InvalidOperationException("Admin:Update:Directory is not set"),
        options.Value.Update.StatusDirectory);

    private readonly long _maxBytes = options.Value.Update.MaxBundleBytes;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private long _bytesReceived = -1;

    public async Task<SystemView> DescribeAsync(CancellationToken cancellationToken)
    {
        var (booted, slots) = RaucStatus.Read(await _files.ReadStatusAsync(UpdateFiles.RaucStatusName, cancellationToken));
        var version = (await _files.ReadStatusAsync(UpdateFiles.VersionName, cancellationToken))?.Trim();
        return new SystemView(
            _files.InstallerPresent,
            _files.InstallerPresent ? null : NotAnApplianceReason,
            ThroughputSampler.Version,
            string.IsNullOrEmpty(version) ? null : version,
            booted,
            slots,
            await ProgressAsync(cancellationToken),
            _maxBytes);
    }

    public async Task<SystemAnswer> InstallAsync(Stream bundle, long? declaredLength, string actor, CancellationToken cancellationToken)
    {
        if (!_files.InstallerPresent)
        {
            return new SystemAnswer(SystemRefusal.NotAnAppliance, NotAnApplianceReason);
        }

        if (declaredLength > _maxBytes)
        {
            return TooLarge();
        }

        if (!await _oneAtATime.WaitAsync(TimeSpan.Zero, cancellationToken))
        {
            return Busy("a bundle is being uploaded");
        }

        try
        {
            if (await BusyReasonAsync(cancellationToken) is { } busy)
            {
                return Busy(busy);
            }

            return await ReceiveAsync(bundle, actor, cancellationToken);
        }
        finally
        {
            Interlocked.Exchange(ref _bytesReceived, -1);
            _oneAtATime.Release();
        }
    }

    public async Task<SystemAnswer> RebootAsync(string actor, CancellationToken cancellationToken)
    {
        if (!_files.InstallerPresent)
        {
            return new SystemAnswer(SystemRefusal.NotAnAppliance, NotAnApplianceReason);
        }

        if (Volatile.Read(ref _bytesReceived) >= 0)
        {
            return Busy("a bundle is being uploaded");
        }

        if (await BusyReasonAsync(cancellationToken) is { } busy)
        {
            return Busy(busy);
        }

        await _files.RequestAsync(UpdateFiles.RebootRequestName, $"{actor}\n", cancellationToken);
        await audit.AppendAsync(actor, "system.reboot", "reboot requested", cancellationToken);
        logger.LogWarning("Reboot requested by {Actor}", actor);
        return SystemAnswer.Accept("the box reboots now");
    }

    private async Task<SystemAnswer> ReceiveAsync(Stream bundle, string actor, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _bytesReceived, 0);
        var committed = false;
        try
        {
            var (length, sha256, looksLikeBundle, writeError) = await CopyAsync(bundle, cancellationToken);
            if (writeError is not null)
            {
                logger.LogError("Could not write an uploaded bundle into {Directory}: {Error}", _files.Directory, writeError);
                return new SystemAnswer(SystemRefusal.NoRoom, $"the bundle could not be written on the box ({writeError})");
            }

            if (length > _maxBytes)
            {
                return TooLarge();
            }

            if (!looksLikeBundle)
            {
                return new SystemAnswer(SystemRefusal.NotABundle, length == 0
                    ? "the upload is empty: send the .raucb file as the request body"
                    : "this is not a RAUC bundle: a .raucb file (verity format) starts with a squashfs header");
            }

            _files.CommitBundle();
            committed = true;
            var detail = $"bundle of {length} bytes, sha256 {sha256[..16]}…, install requested";
            await _files.RequestAsync(UpdateFiles.InstallRequestName, $"{actor}\n{length}\n{sha256}\n", cancellationToken);
            await audit.AppendAsync(actor, "system.update", detail, cancellationToken);
            logger.LogWarning("System update requested by {Actor}: {Detail}", actor, detail);
            return SystemAnswer.Accept(detail);
        }
        finally
        {
            if (!committed)
            {
                _files.DiscardPartialBundle();
            }
        }
    }

    /// <summary>
    /// Copies the body to the partial bundle, hashing it, and stops reading once it is over the limit. A plain
    /// IOException is the file's (a full disk); a client that goes away surfaces as Kestrel's subclasses of it.
    /// </summary>
    private async Task<(long Length, string Sha256, bool LooksLikeBundle, string? WriteError)> CopyAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var header = new byte[SquashfsMagic.Length];
        long length = 0;
        try
        {
            await using var file = _files.CreatePartialBundle();
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                if (length < header.Length)
                {
                    buffer.AsSpan(0, (int)Math.Min(read, header.Length - length)).CopyTo(header.AsSpan((int)length));
                }

                length += read;
                if (length > _maxBytes)
                {
                    return (length, "", false, null);
                }

                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                Interlocked.Exchange(ref _bytesReceived, length);
            }

            await file.FlushAsync(cancellationToken);
        }
        catch (IOException ex) when (ex.GetType() == typeof(IOException) && !cancellationToken.IsCancellationRequested)
        {
            return (length, "", false, ex.Message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (length, Convert.ToHexStringLower(hash.GetHashAndReset()), length > header.Length && header.AsSpan().SequenceEqual(SquashfsMagic), null);
    }

    /// <summary>Why nothing new may start: an install asked for or running. Null when idle (or finished).</summary>
    private async Task<string?> BusyReasonAsync(CancellationToken cancellationToken) =>
        (await ProgressAsync(cancellationToken)).State switch
        {
            "requested" => "an update is waiting to be installed",
            "installing" => "an update is being installed",
            _ when _files.RebootRequested => "the box is rebooting",
            _ => null,
        };

    private async Task<UpdateProgressView> ProgressAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _bytesReceived) is >= 0 and var received)
        {
            return new UpdateProgressView("uploading", BytesReceived: received);
        }

        if (_files.InstallRequested)
        {
            return new UpdateProgressView("requested");
        }

        return ReadProgress(await _files.ReadStatusAsync(UpdateFiles.ProgressName, cancellationToken));
    }

    /// <summary>The update service's <c>install.json</c>: <c>{"state":…,"percent":…,"message":…}</c>.</summary>
    private static UpdateProgressView ReadProgress(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return new UpdateProgressView("idle");
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var state = root.TryGetProperty("state", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "idle";
            int? percent = root.TryGetProperty("percent", out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out var value) ? Math.Clamp(value, 0, 100) : null;
            var message = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            return new UpdateProgressView(state, percent, message);
        }
        catch (JsonException)
        {
            return new UpdateProgressView("idle");
        }
    }

    private string NotAnApplianceReason =>
        $"this system cannot be updated from the admin: no update service has written {Path.Combine(_files.StatusDirectory, UpdateFiles.RaucStatusName)} " +
        "(it is part of the Splicer appliance image; elsewhere, update the package)";

    private SystemAnswer TooLarge() => new(SystemRefusal.TooLarge,
        $"the bundle is larger than Admin:Update:MaxBundleBytes ({_maxBytes.ToString(CultureInfo.InvariantCulture)} bytes)");

    private static SystemAnswer Busy(string reason) => new(SystemRefusal.Busy, reason + "; try again when it is done");
}
