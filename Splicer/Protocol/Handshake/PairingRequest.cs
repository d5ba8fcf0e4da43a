namespace Splicer.Handshake;

/// <summary>What a client asked for in its handshake: a token and, in the new form, its side.</summary>
public sealed record PairingRequest(string Token, string? Side)
{
    /// <summary>The token is a secret: logs and the admin UI see only this much of it.</summary>
    public string TokenPrefix => Token[..8];

    /// <summary>Same token, and different sides unless either side is unnamed.</summary>
    public bool CanPairWith(PairingRequest other) =>
        Token == other.Token && (Side is null || other.Side is null || Side != other.Side);
}
