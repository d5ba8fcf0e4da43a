using System.Collections.Concurrent;
using Splicer.Access;
using Splicer.Endings;
using Splicer.Governance.Entry;

namespace Splicer.Governance;

/// <summary>
/// Credentials whose signature has been checked, by their text: a device presents the same credential
/// at every pairing, and checking the box's signature again would cost an Ed25519 verification each
/// time. An entry counts only while the key that signed it is still trusted (a rotation with
/// revocation ends that at once); expiry is checked every time, and the proof of possession, which
/// changes with every handshake, is never remembered.
/// </summary>
internal sealed class VerifiedCredentials
{
    private const int MaxRemembered = 4096;

    private readonly ConcurrentDictionary<string, (Credential Credential, BoxPublicKey Signer)> _verified = new(StringComparer.Ordinal);

    public Refusal? TryVerify(string text, BoxPublicKeySet trusted, DateTimeOffset now, out Credential? credential)
    {
        if (_verified.TryGetValue(text, out var known)
            && ReferenceEquals(trusted.Find(known.Signer.KeyId.Span, now), known.Signer))
        {
            credential = known.Credential;
            return credential.HasExpiredAt(now) ? Refusal.CredentialExpired : null;
        }

        var refusal = Credential.TryVerify(text, trusted, now, out credential);
        if (credential is not null && refusal != Refusal.BadSignature
            && trusted.Find(credential.BoxKeyId.Span, now) is { } signer)
        {
            if (_verified.Count >= MaxRemembered)
            {
                _verified.Clear();
            }

            _verified[text] = (credential, signer);
        }

        return refusal;
    }
}
