using Splicer.Governance.Entry;

namespace Splicer.Governance;

/// <summary>Who the relay lets in, bound from the <c>Splicer:Access</c> configuration section.</summary>
public sealed class AccessOptions
{
    public const string SectionName = "Splicer:Access";

    /// <summary><c>Open</c>: any handshake pairs (the default from source). <c>Doors</c>: only identities and address doors.</summary>
    public AccessMode Mode { get; set; } = AccessMode.Open;

    /// <summary>How far a proof's timestamp may be from the relay's clock, either way.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// The name devices sign in their proofs, so a proof made for one relay is useless at another; it is
    /// carried in invites. Defaults to the machine's host name in lower case. Letters, digits, <c>.-_:</c>.
    /// </summary>
    public string? RelayName { get; set; }

    /// <summary>
    /// The longest a credential is issued for (it also ends with its door). A key retired by rotation
    /// stays trusted this long, so every credential it signed can run out.
    /// </summary>
    public TimeSpan CredentialLifetime { get; set; } = TimeSpan.FromDays(30);

    public string EffectiveRelayName => string.IsNullOrEmpty(RelayName) ? Environment.MachineName.ToLowerInvariant() : RelayName;
}

public enum AccessMode
{
    /// <summary>Any handshake pairs; credentials that are presented are still checked.</summary>
    Open,

    /// <summary>Only valid credentials, and anonymous handshakes from inside an open address door.</summary>
    Doors,
}
