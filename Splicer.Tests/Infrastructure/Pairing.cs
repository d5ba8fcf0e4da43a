using System.Security.Cryptography;

namespace Splicer.Tests.Infrastructure;

/// <summary>Makes the tokens, sides and handshake lines a client sends.</summary>
internal static class Pairing
{
    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string NewSide() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public static string Handshake(string token, string? side) =>
        side is null ? $"please relay {token}\n" : $"please relay {token} for side {side}\n";
}
