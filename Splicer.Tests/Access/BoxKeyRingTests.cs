using Splicer.Access;
using Splicer.Endings;
using Splicer.Governance;
using Splicer.Governance.Entry;
using Splicer.Tests.State;

namespace Splicer.Tests.Access;

/// <summary>The box key file: created owner-only, refused when others can read it, rotated with a grace period.</summary>
public sealed class BoxKeyRingTests : IDisposable
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);
    private readonly StateFolder _folder = new();
    private readonly ManualClock _clock = new();

    [Fact]
    public void The_key_file_is_created_with_mode_0600_and_loaded_again_unchanged()
    {
        string fingerprint;
        using (var ring = BoxKeyRing.LoadOrCreate(_folder.Path, Lifetime, _clock))
        {
            fingerprint = ring.Current.Fingerprint;
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ring.KeyFilePath));
            }
        }

        using var again = BoxKeyRing.LoadOrCreate(_folder.Path, Lifetime, _clock);
        Assert.Equal(fingerprint, again.Current.Fingerprint);
        Assert.Empty(Directory.GetFiles(_folder.Path, "*.tmp"));
    }

    [Fact]
    public void A_key_file_readable_by_others_stops_the_start_with_a_message_naming_it()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using (BoxKeyRing.LoadOrCreate(_folder.Path, Lifetime, _clock))
        {
        }

        var path = Path.Combine(_folder.Path, BoxKeyRing.KeyFileName);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        var error = Assert.Throws<BoxKeyFileException>(() => BoxKeyRing.LoadOrCreate(_folder.Path, Lifetime, _clock));
        Assert.Contains(path, error.Message);
        Assert.Contains("chmod 600", error.Message);
    }

    [Fact]
    public void A_key_file_that_is_not_a_key_stops_the_start_with_a_message_naming_it()
    {
        Directory.CreateDirectory(_folder.Path);
        var path = Path.Combine(_folder.Path, BoxKeyRing.KeyFileName);
        File.WriteAllText(path, "not a key");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var error = Assert.Throws<BoxKeyFileException>(() => BoxKeyRing.LoadOrCreate(_folder.Path, Lifetime, _clock));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void After_rotation_credentials_of_the_previous_key_verify_until_the_lifetime_runs_out()
    {
        using var ring = BoxKeyRing.LoadOrCreate(_folder.Path, Lifetime, _clock);
        using var device = DeviceKey.Create();
        var old = Credential.Issue(ring.Signer, 1, 2, device.PublicKey.Span, _clock.Now, _clock.Now.AddDays(60));

        var previous = ring.Current.Fingerprint;
        var current = ring.Rotate(revokePrevious: false);

        Assert.NotEqual(previous, current.Fingerprint);
        Assert.Null(Credential.TryVerify(old, ring.PublicKeys, _clock.Now, out _));
        using (var reloaded = BoxKeyRing.LoadOrCreate(_folder.Path, Lifetime, _clock))
        {
            Assert.Equal(current.Fingerprint, reloaded.Current.Fingerprint);
            Assert.Null(Credential.TryVerify(old, reloaded.PublicKeys, _clock.Now, out _));
        }

        _clock.Advance(Lifetime);
        Assert.Equal(Refusal.BadSignature, Credential.TryVerify(old, ring.PublicKeys, _clock.Now, out _));
    }

    [Fact]
    public void Rotation_that_revokes_stops_every_earlier_credential_at_once()
    {
        using var ring = BoxKeyRing.LoadOrCreate(_folder.Path, Lifetime, _clock);
        using var device = DeviceKey.Create();
        var old = Credential.Issue(ring.Signer, 1, 2, device.PublicKey.Span, _clock.Now, _clock.Now.AddDays(1));

        ring.Rotate(revokePrevious: true);

        Assert.Equal(Refusal.BadSignature, Credential.TryVerify(old, ring.PublicKeys, _clock.Now, out _));
        var fresh = Credential.Issue(ring.Signer, 1, 2, device.PublicKey.Span, _clock.Now, _clock.Now.AddDays(1));
        Assert.Null(Credential.TryVerify(fresh, ring.PublicKeys, _clock.Now, out _));
    }

    public void Dispose() => _folder.Dispose();
}
