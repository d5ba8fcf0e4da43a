using Splicer.Access;
using Splicer.Endings;
using Splicer.Governance;
using Splicer.Governance.Entry;

namespace Splicer.Tests.Access;

/// <summary>A credential checked once is remembered only while the key that signed it is still trusted.</summary>
public sealed class VerifiedCredentialsTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("splicer-verified-");
    private readonly BoxKeyRing _ring;

    public VerifiedCredentialsTests() => _ring = BoxKeyRing.LoadOrCreate(_folder.FullName, TimeSpan.FromDays(30), TimeProvider.System);

    public void Dispose()
    {
        _ring.Dispose();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public void A_remembered_credential_is_still_refused_once_it_expires()
    {
        var now = DateTimeOffset.UtcNow;
        var text = Issue(now, now.AddMinutes(1));
        var verified = new VerifiedCredentials();
        Assert.Null(verified.TryVerify(text, _ring.PublicKeys, now, out _));

        Assert.Equal(Refusal.CredentialExpired, verified.TryVerify(text, _ring.PublicKeys, now.AddMinutes(2), out _));
    }

    [Fact]
    public void A_remembered_credential_is_refused_once_its_key_is_revoked()
    {
        var now = DateTimeOffset.UtcNow;
        var text = Issue(now, now.AddDays(1));
        var verified = new VerifiedCredentials();
        Assert.Null(verified.TryVerify(text, _ring.PublicKeys, now, out _));

        _ring.Rotate(revokePrevious: true);

        Assert.Equal(Refusal.BadSignature, verified.TryVerify(text, _ring.PublicKeys, now, out _));
    }

    [Fact]
    public void A_remembered_credential_still_works_after_a_rotation_that_keeps_the_old_key()
    {
        var now = DateTimeOffset.UtcNow;
        var text = Issue(now, now.AddDays(1));
        var verified = new VerifiedCredentials();
        Assert.Null(verified.TryVerify(text, _ring.PublicKeys, now, out _));

        _ring.Rotate(revokePrevious: false);

        Assert.Null(verified.TryVerify(text, _ring.PublicKeys, now, out var credential));
        Assert.Equal(7, credential!.IdentityId);
    }

    [Fact]
    public void A_changed_credential_is_not_taken_for_a_remembered_one()
    {
        var now = DateTimeOffset.UtcNow;
        var text = Issue(now, now.AddDays(1));
        var verified = new VerifiedCredentials();
        Assert.Null(verified.TryVerify(text, _ring.PublicKeys, now, out _));

        var changed = text[..^2] + (text[^2] == 'A' ? 'B' : 'A') + text[^1];

        Assert.NotNull(verified.TryVerify(changed, _ring.PublicKeys, now, out _));
    }

    private string Issue(DateTimeOffset now, DateTimeOffset expires) =>
        Credential.Issue(_ring.Signer, 7, 3, DeviceKey.Create().PublicKey.Span, now, expires);
}
